"""Trigram indexes on the investigation report's texts for the case list's
full-text search (cases.search), on PostgreSQL only (pg_trgm is created by cases 0008)."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations
from django.db.models.functions import Upper

COLUMNS = [("findings_summary", "report_findings_trgm"), ("conclusion", "report_conclusion_trgm")]


def _indexes():
    for column, name in COLUMNS:
        yield GinIndex(OpClass(Upper(column), name="gin_trgm_ops"), name=name)


def add_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("reviews", "InvestigationReport")
    for index in _indexes():
        schema_editor.add_index(model, index)


def remove_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("reviews", "InvestigationReport")
    for index in _indexes():
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_case_text_search_trigram"),
        ("reviews", "0004_publication_scope_decided_with_determination"),
    ]

    operations = [migrations.RunPython(add_trigram_indexes, remove_trigram_indexes)]
