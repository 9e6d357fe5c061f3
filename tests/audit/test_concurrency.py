"""Concurrent appends never fork the chain. Needs PostgreSQL: SQLite takes a
database-wide write lock, so its writers never interleave in the first place."""

import threading

import pytest
from django.db import connection, transaction

from audit.models import AuditEvent, AuditEventType
from audit.selectors import audit_chain_verify
from audit.services import audit_record
from tests.factories import UserFactory

THREADS = 8
EVENTS_PER_THREAD = 5


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent appends need PostgreSQL (row locks, separate connections)")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_append_one_unbroken_chain():
    actor = UserFactory()
    start = threading.Barrier(THREADS)
    errors = []

    def write(worker: int) -> None:
        try:
            start.wait()
            for n in range(EVENTS_PER_THREAD):
                with transaction.atomic():
                    audit_record(
                        event_type=AuditEventType.VOTE_RECORDED,
                        actor=actor,
                        summary=f"线程{worker}第{n}次",
                    )
        except Exception as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    total = THREADS * EVENTS_PER_THREAD
    assert errors == []
    assert list(AuditEvent.objects.values_list("sequence", flat=True)) == list(range(1, total + 1))
    result = audit_chain_verify()
    assert (result.ok, result.checked) == (True, total)
