"""Document jobs and their workers' leases, on a real worker (issue 12): a
job whose worker is killed is claimed again once its lease runs out and is
rendered once; a job whose worker lives keeps it past the lease (the
heartbeat) and is never taken from it.

The job is held in the middle, deterministically: another connection locks
the units table, which the render reads after claiming the job, so the worker
waits there, running, with its lease (and heartbeat) going."""

import os
import signal
import time
from contextlib import contextmanager

import psycopg
import pytest

from audit.models import AuditEvent, AuditEventType
from cases.services.intake import SubjectOfficerInput, case_create
from cases.services.transitions import case_transition
from documents.kinds import DocumentKind
from documents.models import Document
from documents.services import document_enqueue, documents_requeue_stuck
from tests.cases.test_case_create import INCIDENT
from tests.worker import _database_url, running_worker, worker_unavailable_reason

LEASE_SECONDS = 4
LEASE_ENV = {"DOCUMENT_JOB_LEASE_SECONDS": str(LEASE_SECONDS)}

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def case(inspector, unit, officers, settings):
    reason = worker_unavailable_reason()
    if reason:
        pytest.skip(reason)
    settings.DOCUMENT_JOB_LEASE_SECONDS = LEASE_SECONDS
    draft = case_create(
        actor=inspector,
        unit=unit,
        incident=INCIDENT,
        subject_officers=[SubjectOfficerInput(officer=officers[0], part="handler")],
    )
    return case_transition(actor=inspector, case_id=draft.pk, name="register")


@contextmanager
def units_locked():
    blocker = psycopg.connect(_database_url())
    blocker.execute("LOCK TABLE accounts_unit IN ACCESS EXCLUSIVE MODE")
    try:
        yield
    finally:
        blocker.rollback()
        blocker.close()


def _wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def _status_is(document, status):
    def check():
        document.refresh_from_db()
        return document.status == status

    return check


def _generated(document) -> int:
    return AuditEvent.objects.filter(
        event_type=AuditEventType.DOCUMENT_GENERATED, object_id=str(document.pk)
    ).count()


def test_a_job_of_a_killed_worker_is_rendered_once_after_its_lease(case, settings):
    with running_worker(settings.MEDIA_ROOT, LEASE_ENV) as worker, units_locked():
        document = Document.objects.create(case=case, kind=DocumentKind.INTAKE_FORM)
        assert document_enqueue(document_id=document.pk)
        assert _wait_for(_status_is(document, Document.Status.RUNNING), 60)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    killed_at = time.monotonic()
    # Killed mid-job: the message was never acknowledged, the row says running.
    assert document.status == Document.Status.RUNNING

    with running_worker(settings.MEDIA_ROOT, LEASE_ENV):

        def done():
            documents_requeue_stuck()  # beat's part, played here
            return _status_is(document, Document.Status.DONE)()

        assert _wait_for(done, 90), (document.status, document.error)
    assert time.monotonic() - killed_at < 120
    assert document.attempts == 2
    assert _generated(document) == 1


def test_a_live_worker_keeps_its_job_past_the_lease(case, settings):
    with running_worker(settings.MEDIA_ROOT, LEASE_ENV):
        with units_locked():
            document = Document.objects.create(case=case, kind=DocumentKind.INTAKE_FORM)
            assert document_enqueue(document_id=document.pk)
            assert _wait_for(_status_is(document, Document.Status.RUNNING), 60)
            # Held for three leases: the heartbeat keeps the lease ahead, so
            # beat (played here) finds nothing to take.
            deadline = time.monotonic() + 3 * LEASE_SECONDS
            while time.monotonic() < deadline:
                assert documents_requeue_stuck() == 0
                time.sleep(0.5)
        assert _wait_for(_status_is(document, Document.Status.DONE), 60), document.error
    assert document.attempts == 1
    assert _generated(document) == 1
