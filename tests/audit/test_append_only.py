import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from audit import triggers
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _execute(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_triggers_are_installed():
    assert connection.vendor in ("sqlite", "postgresql")
    assert triggers.installed(connection)


def test_the_database_refuses_an_update(record):
    record(summary="原文")
    with pytest.raises(IntegrityError, match="append-only: UPDATE refused"), transaction.atomic():
        _execute("UPDATE audit_auditevent SET summary = %s", ["改动"])
    assert AuditEvent.objects.get().summary == "原文"


def test_the_database_refuses_a_delete(record):
    record()
    with pytest.raises(IntegrityError, match="append-only: DELETE refused"), transaction.atomic():
        _execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_trail_and_leaves_the_triggers(record):
    record()

    call_command("flush", interactive=False, verbosity=0)

    assert not AuditEvent.objects.exists()
    assert triggers.installed(connection)
    record()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        _execute("DELETE FROM audit_auditevent")
