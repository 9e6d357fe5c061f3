import pytest
from django.db import connection, transaction

from audit import triggers
from audit.models import AuditEventType
from audit.services import audit_record


@pytest.fixture
def record():
    """audit_record inside its own transaction, as a service would call it."""

    def _record(**kwargs):
        kwargs.setdefault("event_type", AuditEventType.CASE_UPDATED)
        with transaction.atomic():
            return audit_record(**kwargs)

    return _record


@pytest.fixture
def tamper():
    """Run raw SQL against the audit table behind the application's back,
    with the append-only triggers lifted (as someone with database access
    could); the test's transaction puts them back."""

    def _tamper(sql: str, params=()):
        with triggers.suspended(connection), connection.cursor() as cursor:
            cursor.execute(sql, params)

    return _tamper
