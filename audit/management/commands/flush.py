"""Django's flush, able to empty the audit trail on SQLite too.

SQLite flushes with DELETE, which the append-only triggers refuse; PostgreSQL
flushes with TRUNCATE, which row triggers never see. Flushing wipes the whole
database on purpose (development, and the test runner between transactional
tests), so on SQLite the triggers are lifted for the flush and put back after.
"""

from django.core.management.commands.flush import Command as DjangoFlushCommand
from django.db import connections

from audit import triggers


class Command(DjangoFlushCommand):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with triggers.suspended(connection):
            return super().handle(**options)
