"""An index for the case list's outcome filter (cases.filters.filter_outcome):
the adopted determinations' case ids by outcome, read alone (an index-only
scan) instead of every determination row; see benchmarks/results/
case_list.txt. Partial (adopted only: the filter never asks for others) and
in SQL, so that the models of this app, being split, stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("deliberation", "0001_initial")]

    operations = [
        migrations.RunSQL(
            'CREATE INDEX IF NOT EXISTS "determination_adopted_outcome" '
            'ON "reviews_determination" ("outcome", "case_id") WHERE "status" = \'adopted\'',
            'DROP INDEX IF EXISTS "determination_adopted_outcome"',
        )
    ]
