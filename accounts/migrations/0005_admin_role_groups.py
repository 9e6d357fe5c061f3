"""三员分立: the security administrator's and the audit administrator's groups
(the system administrator keeps the existing "administrator" group)."""

from django.db import migrations

NEW_ROLES = ("security_administrator", "audit_administrator")


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in NEW_ROLES:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=NEW_ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_security_model")]

    operations = [migrations.RunPython(create_groups, remove_groups)]
