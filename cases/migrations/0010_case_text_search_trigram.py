"""Trigram indexes for the case list's full-text search (cases.search) on
PostgreSQL: pg_trgm GIN indexes on UPPER(text), the expression Django's
icontains compares. SQLite has no trigram index; its LIKE scans, and the
migration does nothing there. The indexes live outside the models' Meta
because they exist on one database only."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    ("case_summary_trgm", "cases_case", "incident_summary"),
    ("case_allegation_trgm", "cases_case", "allegation"),
    ("fact_note_trgm", "cases_factrecord", "note"),
]


def add_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin (UPPER("{column}") gin_trgm_ops)'
        )


def remove_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_investigation_team_and_notices")]

    # TrigramExtension does nothing on a database other than PostgreSQL.
    operations = [
        TrigramExtension(),
        migrations.RunPython(add_trigram_indexes, remove_trigram_indexes),
    ]
