"""Default time limits per stage, for every unit (a unit may set its own)."""

from django.db import migrations

DEFAULT_DAYS = {
    "draft": 10,
    "registered": 10,
    "investigating": 60,
    "expert_review": 30,
    "deliberation": 30,
    "decided": 15,
    "filed": 30,
    "published": 15,
}


def create_defaults(apps, schema_editor):
    StageDeadline = apps.get_model("cases", "StageDeadline")
    for state, days in DEFAULT_DAYS.items():
        StageDeadline.objects.get_or_create(unit=None, state=state, defaults={"days": days})


def remove_defaults(apps, schema_editor):
    apps.get_model("cases", "StageDeadline").objects.filter(unit=None).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
