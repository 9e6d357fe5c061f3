"""A worker killed in the middle of a job (issue 12): the job is claimed
again once its lease runs out, rendered once, and never by two workers."""

import os
import signal
import time

import psycopg
import pytest

from audit.models import AuditEvent, AuditEventType
from cases.services.intake import SubjectOfficerInput, case_create
from cases.services.transitions import case_transition
from documents.models import Document
from documents.services import documents_requeue_stuck
from tests.cases.test_case_create import INCIDENT
from tests.worker import _database_url, running_worker, worker_unavailable_reason

LEASE_SECONDS = 4


def _wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_job_of_a_killed_worker_is_rendered_once_within_the_lease(
    inspector, unit, officers, settings
):
    reason = worker_unavailable_reason()
    if reason:
        pytest.skip(reason)
    settings.DOCUMENT_JOB_LEASE_SECONDS = LEASE_SECONDS
    lease_env = {"DOCUMENT_JOB_LEASE_SECONDS": str(LEASE_SECONDS)}
    draft = case_create(
        actor=inspector,
        unit=unit,
        incident=INCIDENT,
        subject_officers=[SubjectOfficerInput(officer=officers[0], part="handler")],
    )
    # Hold the audit chain's head from another connection: the worker renders,
    # then waits to record its event, still running, when it is killed.
    blocker = psycopg.connect(_database_url())
    with running_worker(settings.MEDIA_ROOT, lease_env) as worker:
        case = case_transition(actor=inspector, case_id=draft.pk, name="register")
        blocker.execute("SELECT * FROM audit_auditchainhead FOR UPDATE")
        document = Document.objects.get(case=case)

        def running():
            document.refresh_from_db()
            return document.status == Document.Status.RUNNING

        assert _wait_for(running, 60), document.status
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    blocker.rollback()
    blocker.close()
    killed_at = time.monotonic()

    with running_worker(settings.MEDIA_ROOT, lease_env):
        # Beat's part, played here: the job waits out its lease, then is queued.
        def done():
            documents_requeue_stuck()
            document.refresh_from_db()
            return document.status == Document.Status.DONE

        assert _wait_for(done, 60), (document.status, document.error)
    recovered_after = time.monotonic() - killed_at

    assert recovered_after < 120
    assert document.attempts == 2
    generated = AuditEvent.objects.filter(
        event_type=AuditEventType.DOCUMENT_GENERATED, object_id=str(document.pk)
    )
    assert generated.count() == 1
