"""The database triggers that make the audit event table append-only.

PostgreSQL: one row-level BEFORE UPDATE OR DELETE trigger raising
restrict_violation. SQLite: two BEFORE triggers with RAISE(ABORT). Both
surface as django.db.IntegrityError. Other databases get no trigger (the model
and the hash chain still guard the trail).

Row-level triggers do not fire on TRUNCATE, which is how Django flushes a
PostgreSQL database; SQLite flushes with DELETE, so `manage.py flush` (and the
test runner's flush) lifts the SQLite triggers for the flush (see
audit/management/commands/flush.py).
"""

from contextlib import contextmanager

TABLE = "audit_auditevent"
MESSAGE = "audit_auditevent is append-only"
PG_FUNCTION = "audit_event_refuse_change"
PG_TRIGGER = "audit_event_append_only"
SQLITE_TRIGGERS = {"UPDATE": "audit_event_no_update", "DELETE": "audit_event_no_delete"}


def install_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"""CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = '{MESSAGE}: ' || TG_OP || ' refused',
        ERRCODE = 'restrict_violation';
END;
$$""",
            f"""CREATE TRIGGER {PG_TRIGGER} BEFORE UPDATE OR DELETE ON {TABLE}
FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()""",
        ]
    if vendor == "sqlite":
        return [
            f"""CREATE TRIGGER {name} BEFORE {operation} ON {TABLE}
BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {operation} refused'); END"""
            for operation, name in SQLITE_TRIGGERS.items()
        ]
    return []


def uninstall_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON {TABLE}",
            f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()",
        ]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS.values()]
    return []


def installed(connection) -> bool:
    """Whether the append-only triggers are in place (and enabled) on the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger "
                "WHERE tgrelid = to_regclass(%s) AND tgname = %s AND tgenabled <> 'D'",
                [TABLE, PG_TRIGGER],
            )
            return cursor.fetchone()[0] == 1
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s "
                "AND name IN (%s, %s)",
                [TABLE, *SQLITE_TRIGGERS.values()],
            )
            return cursor.fetchone()[0] == len(SQLITE_TRIGGERS)
    return False


@contextmanager
def suspended(connection):
    """Lift the triggers for the duration of the block and put them back after.

    For `flush` on SQLite and for tests that simulate tampering; nothing in the
    application uses it. On SQLite the triggers are dropped and re-created
    (transactional inside a transaction); on PostgreSQL the session stops
    firing triggers (`session_replication_role = replica`, superuser only),
    which also skips foreign-key checks for the block.
    """
    was_installed = installed(connection)
    if not was_installed:
        yield
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # This session only (superuser): ALTER TABLE … DISABLE TRIGGER would
            # affect everyone and fails while deferred FK checks are pending.
            cursor.execute("SET session_replication_role = replica")
        else:
            for statement in uninstall_sql(connection.vendor):
                cursor.execute(statement)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")
            else:
                for statement in install_sql(connection.vendor):
                    cursor.execute(statement)
