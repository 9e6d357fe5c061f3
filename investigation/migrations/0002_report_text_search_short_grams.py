"""Short-gram indexes on the investigation report's texts for the case
list's search of one or two characters (cases.search; the function and its
reason are in cases 0012), on PostgreSQL only."""

from django.db import migrations

TABLE = "reviews_investigationreport"
INDEXES = [
    ("report_findings_grams", "findings_summary"),
    ("report_conclusion_grams", "conclusion"),
]


def add_short_gram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{TABLE}" '
            f'USING gin (cases_short_grams(UPPER("{column}")))'
        )


def remove_short_gram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_case_search_short_grams"),
        ("investigation", "0001_initial"),
    ]

    operations = [migrations.RunPython(add_short_gram_indexes, remove_short_gram_indexes)]
