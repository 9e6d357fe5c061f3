"""Issue 15: the case supervisor role, whether inspectors may assign, and
each user's choice of immediate or digest e-mail for notices."""

from django.db import migrations, models


def create_supervisor_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="case_supervisor")


def remove_supervisor_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="case_supervisor").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_admin_role_groups"),
    ]

    operations = [
        # The case supervisor (案件督办人) assigns investigation teams (issue 15).
        migrations.RunPython(create_supervisor_group, remove_supervisor_group),
        migrations.AddField(
            model_name="unit",
            name="inspector_may_assign",
            field=models.BooleanField(
                default=True,
                help_text="不勾选时，仅案件督办人可以指派调查组。",
                verbose_name="登记人可指派调查组",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="notice_delivery",
            field=models.CharField(
                choices=[
                    ("immediate", "每条提醒即时发送电子邮件"),
                    ("digest", "每日汇总发送一封电子邮件"),
                ],
                default="immediate",
                max_length=10,
                verbose_name="提醒邮件",
            ),
        ),
    ]
