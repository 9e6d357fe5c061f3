"""Trigram indexes on the investigation report's texts for the case list's
full-text search (cases.search), on PostgreSQL only (pg_trgm is created by
cases 0008, which explains the indexes)."""

from django.db import migrations

TABLE = "reviews_investigationreport"
INDEXES = [
    ("report_findings_trgm", "findings_summary"),
    ("report_conclusion_trgm", "conclusion"),
]


def add_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{TABLE}" USING gin (UPPER("{column}") gin_trgm_ops)'
        )


def remove_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_case_text_search_trigram"),
        ("reviews", "0004_publication_scope_decided_with_determination"),
    ]

    operations = [migrations.RunPython(add_trigram_indexes, remove_trigram_indexes)]
