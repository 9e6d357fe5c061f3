"""The personnel role (人事干部), who run the personnel query of the no-impact
rule (Tai'an art. 13, Lianyungang art. 20)."""

from django.db import migrations


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="personnel")


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="personnel").delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_role_groups")]

    operations = [migrations.RunPython(create_group, remove_group)]
