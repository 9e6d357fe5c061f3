"""Trigram indexes for the case list's full-text search (cases.search) on
PostgreSQL: pg_trgm GIN indexes on UPPER(text), the expression Django's
icontains compares. SQLite has no trigram index; its LIKE scans, and the
migration does nothing there. The indexes live outside the models' Meta
because they exist on one database only."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations
from django.db.models.functions import Upper

INDEXES = {
    "case": [("incident_summary", "case_summary_trgm"), ("allegation", "case_allegation_trgm")],
    "factrecord": [("note", "fact_note_trgm")],
}


def _indexes(apps):
    for model_name, columns in INDEXES.items():
        model = apps.get_model("cases", model_name)
        for column, name in columns:
            yield model, GinIndex(OpClass(Upper(column), name="gin_trgm_ops"), name=name)


def add_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.add_index(model, index)


def remove_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_map_split_fact_keys")]

    # TrigramExtension does nothing on a database other than PostgreSQL.
    operations = [
        TrigramExtension(),
        migrations.RunPython(add_trigram_indexes, remove_trigram_indexes),
    ]
