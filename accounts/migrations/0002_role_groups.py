"""One group per role (accounts.roles.Role). Object rules decide the rest."""

from django.db import migrations

ROLE_CODES = [
    "inspector",
    "investigator",
    "expert",
    "leadership_member",
    "leadership_chair",
    "discipline_liaison",
    "administrator",
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for code in ROLE_CODES:
        Group.objects.get_or_create(name=code)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_CODES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
