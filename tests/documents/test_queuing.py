"""Queuing document jobs on the production shape (issue 12): a broker that
refuses connections never turns a saved move into a 500, the job waits and is
queued when the broker is back; a running job is leased to its worker, so it
is never rendered twice while that worker lives and is claimed again soon
after the lease runs out."""

import datetime
import socket

import pytest
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from documents import services
from documents.kinds import DocumentKind
from documents.models import Document
from documents.services import document_render, documents_requeue_stuck
from tests.cases.test_views import _file_draft
from tests.factories import CaseFactory, SubjectOfficerFactory

pytestmark = pytest.mark.django_db


def _refused_port() -> int:
    """A port on the loopback that nothing listens on: bound, then released."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broker_down():
    """The broker URL points at a refused port for the test; tasks are sent,
    not run in-process, as in production. The app's connection and producer
    pools are set aside and put back after (kombu keeps producer pools in a
    registry by URL: closing them would break every later test)."""
    saved = (
        celery_app.conf.broker_url,
        celery_app.conf.task_always_eager,
        celery_app._pool,
        celery_app.amqp._producer_pool,
    )
    celery_app.conf.broker_url = f"redis://127.0.0.1:{_refused_port()}/0"
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app.conf.task_always_eager = False
    yield
    (
        celery_app.conf.broker_url,
        celery_app.conf.task_always_eager,
        celery_app._pool,
        celery_app.amqp._producer_pool,
    ) = saved


def _back_up() -> None:
    """The broker is back; tasks run in-process again (eager)."""
    celery_app.conf.task_always_eager = True


@pytest.fixture
def case(unit):
    case = CaseFactory(unit=unit)
    SubjectOfficerFactory(case=case)
    return case


def _job(case, **fields):
    return Document.objects.create(case=case, kind=DocumentKind.INTAKE_FORM, **fields)


def test_it_registers_a_case_while_the_broker_refuses_connections(
    client, inspector, unit, officers, broker_down, django_capture_on_commit_callbacks, caplog
):
    client.force_login(inspector)
    case = _file_draft(client, unit, officers)
    with django_capture_on_commit_callbacks(execute=True):
        moved = client.post(reverse("cases:transition", args=[case.pk, "register"]))
    assert moved.status_code == 302
    case.refresh_from_db()
    assert case.state == "registered"
    document = Document.objects.get(case=case)
    assert document.status == Document.Status.QUEUED
    assert document.queued_at is None
    assert "job queue is unreachable" in caplog.text
    assert "refused" in caplog.text.lower()
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="document-pending"' in page


def test_a_job_that_waited_for_the_broker_is_queued_when_it_is_back(
    case, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_request(
            case=case, kind=DocumentKind.INTAKE_FORM, requested_by=None
        )
    later = timezone.now() + datetime.timedelta(seconds=10)
    assert documents_requeue_stuck(now=later) == 0  # still down: nothing sent
    document.refresh_from_db()
    assert document.status == Document.Status.QUEUED and document.queued_at is None

    _back_up()
    documents_requeue_stuck(now=later)
    document.refresh_from_db()
    assert document.status == Document.Status.DONE
    assert document.attempts == 1


def test_a_just_requested_job_is_left_to_its_own_commit(case):
    job = _job(case)
    assert documents_requeue_stuck() == 0
    job.refresh_from_db()
    assert job.status == Document.Status.QUEUED


def test_a_running_job_with_a_live_lease_is_not_claimed_again(case, monkeypatch):
    job = _job(
        case,
        status=Document.Status.RUNNING,
        started_at=timezone.now(),
        lease_expires_at=timezone.now() + datetime.timedelta(seconds=60),
        attempts=1,
    )
    rendered = []
    monkeypatch.setattr(services, "html_to_pdf", lambda html, archival=None: rendered.append(html))
    again = document_render(document_id=job.pk)
    assert again.status == Document.Status.RUNNING
    assert rendered == []
    assert documents_requeue_stuck() == 0
    job.refresh_from_db()
    assert job.attempts == 1


def test_a_job_whose_lease_ran_out_is_claimed_again(case):
    job = _job(
        case,
        status=Document.Status.RUNNING,
        started_at=timezone.now() - datetime.timedelta(seconds=90),
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1),
        attempts=1,
        queued_at=timezone.now() - datetime.timedelta(seconds=91),
    )
    assert documents_requeue_stuck() == 1
    job.refresh_from_db()
    assert job.status == Document.Status.DONE
    assert job.attempts == 2
    assert job.lease_expires_at is None


def test_a_finished_job_holds_no_lease(case):
    job = document_render(document_id=_job(case).pk)
    assert job.status == Document.Status.DONE
    assert job.lease_expires_at is None
