"""Refuse UPDATE and DELETE on the audit event table in the database itself.

Only PostgreSQL and SQLite get triggers (see audit.triggers for the SQL); on
SQLite any later migration that rebuilds the table must install them again.
"""

from django.db import migrations

from audit.triggers import install_sql, uninstall_sql


def install(apps, schema_editor):
    for statement in install_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor):
    for statement in uninstall_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
