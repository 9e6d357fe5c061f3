"""Indexes for the case list's search (cases.search) on PostgreSQL, beside
the trigram indexes of 0010:

- cases_short_grams(text): the text's every substring of one and two
  characters. pg_trgm cannot answer a pattern shorter than three characters
  (a Chinese search word is often two: "伪造"); a GIN index on the grams can,
  exactly: a text contains such a pattern if and only if the pattern is one
  of its grams. Indexed on UPPER(text) for the texts searched in any case,
  on the number as it is (searched case-sensitively).
- a trigram index on the number, so that a longer number search reads an
  index too instead of every case's number.

The report's texts get the same short-gram indexes in reviews 0007. SQLite
has none of this (its LIKE scans); the migration does nothing there."""

from django.db import migrations

SHORT_GRAMS = """
CREATE OR REPLACE FUNCTION cases_short_grams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(substr(value, i, n)), '{}')
    FROM generate_series(1, 2) AS n, generate_series(1, char_length(value) - n + 1) AS i
$$
"""

INDEXES = [
    ("case_summary_grams", "cases_case", 'cases_short_grams(UPPER("incident_summary"))'),
    ("case_allegation_grams", "cases_case", 'cases_short_grams(UPPER("allegation"))'),
    ("case_number_grams", "cases_case", 'cases_short_grams("number")'),
    ("case_number_trgm", "cases_case", '"number" gin_trgm_ops'),
    ("fact_note_grams", "cases_factrecord", 'cases_short_grams(UPPER("note"))'),
]


def add_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(SHORT_GRAMS)
    for name, table, expression in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ({expression})'
        )


def remove_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _expression in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
    # reviews 0007's indexes depend on the function; they are unapplied first.
    schema_editor.execute("DROP FUNCTION IF EXISTS cases_short_grams(text)")


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_fact_record_carried_forward")]

    operations = [migrations.RunPython(add_search_indexes, remove_search_indexes)]
