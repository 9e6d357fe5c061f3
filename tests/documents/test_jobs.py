"""Document jobs: recorded before they are queued, safe to run twice, not
rendered again when nothing changed, and re-queued when stuck."""

import datetime

import pytest
from django.utils import timezone

from documents import services
from documents.kinds import DocumentKind
from documents.models import Document
from documents.services import document_render, documents_requeue_stuck
from tests.factories import CaseFactory, SubjectOfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(unit):
    case = CaseFactory(unit=unit)
    SubjectOfficerFactory(case=case)
    return case


def _job(case, **fields):
    return Document.objects.create(case=case, kind=DocumentKind.INTAKE_FORM, **fields)


def test_a_job_runs_once_even_if_delivered_twice(case):
    job = _job(case)
    first = document_render(document_id=job.pk)
    again = document_render(document_id=job.pk)
    assert first.status == again.status == Document.Status.DONE
    job.refresh_from_db()
    assert job.attempts == 1


def test_unchanged_inputs_are_not_rendered_again(case, monkeypatch):
    first = document_render(document_id=_job(case).pk)
    calls = []
    monkeypatch.setattr(services, "html_to_pdf", lambda html, archival=None: calls.append(html))
    second = document_render(document_id=_job(case).pk)
    assert calls == []
    assert second.status == Document.Status.DONE
    assert (second.sha256, second.file.name) == (first.sha256, first.file.name)
    assert second.input_hash == first.input_hash


def test_changed_inputs_are_rendered_again(case):
    first = document_render(document_id=_job(case).pk)
    case.incident_summary = "另一段事件概要，内容已经改变。"
    case.save(update_fields=["incident_summary"])
    second = document_render(document_id=_job(case).pk)
    assert second.input_hash != first.input_hash
    assert second.sha256 != first.sha256


def test_a_failed_render_is_recorded_with_its_error(case, monkeypatch):
    def broken(html, archival=None):
        raise RuntimeError("font server on fire")

    monkeypatch.setattr(services, "html_to_pdf", broken)
    job = _job(case)
    with pytest.raises(RuntimeError):
        document_render(document_id=job.pk)
    job.refresh_from_db()
    assert job.status == Document.Status.FAILED
    assert "font server on fire" in job.error


def test_stuck_jobs_are_queued_again_and_given_up_after_too_many_attempts(case, settings):
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    stuck = _job(case, status=Document.Status.RUNNING, started_at=long_ago, attempts=1)
    hopeless = _job(
        case,
        status=Document.Status.RUNNING,
        started_at=long_ago,
        attempts=settings.DOCUMENT_JOB_MAX_ATTEMPTS,
    )
    fresh = _job(case, status=Document.Status.RUNNING, started_at=timezone.now(), attempts=1)
    assert documents_requeue_stuck() == 1
    for job in (stuck, hopeless, fresh):
        job.refresh_from_db()
    # The re-queued job ran (tasks are eager in tests).
    assert stuck.status == Document.Status.DONE
    assert hopeless.status == Document.Status.FAILED
    assert fresh.status == Document.Status.RUNNING
