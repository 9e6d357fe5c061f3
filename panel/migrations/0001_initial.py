"""The panel app's models, moved from reviews with their tables
(reviews_*): state only, the tables and their rows are those reviews 0001-0006
made. reviews 0007 removes the models from reviews' state."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("reviews", "0006_precedents"),
        ("cases", "0011_fact_record_carried_forward"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="ExpertPanel",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "question",
                            models.TextField(max_length=4000, verbose_name="提请论证的问题"),
                        ),
                        (
                            "conclusion",
                            models.TextField(
                                blank=True, max_length=20000, verbose_name="专家组结论"
                            ),
                        ),
                        (
                            "dissent",
                            models.TextField(blank=True, max_length=20000, verbose_name="不同意见"),
                        ),
                        (
                            "concluded_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="出具时间"),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "case",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="expert_panel",
                                to="cases.case",
                            ),
                        ),
                        (
                            "concluded_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "members",
                            models.ManyToManyField(
                                related_name="expert_panels",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="专家组成员",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "专家组",
                        "verbose_name_plural": "专家组",
                        "db_table": "reviews_expertpanel",
                    },
                ),
                migrations.CreateModel(
                    name="DisputedClause",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("clause_ref", models.CharField(max_length=32, verbose_name="条款")),
                        (
                            "subject_officer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="cases.subjectofficer",
                            ),
                        ),
                        (
                            "panel",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="disputed",
                                to="panel.expertpanel",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "reviews_disputedclause",
                        "ordering": ["id"],
                    },
                ),
                migrations.CreateModel(
                    name="ExpertOpinion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "position",
                            models.CharField(
                                choices=[
                                    ("agree", "同意适用"),
                                    ("disagree", "不同意适用"),
                                    ("partly", "部分同意"),
                                ],
                                max_length=10,
                                verbose_name="意见",
                            ),
                        ),
                        ("reasoning", models.TextField(max_length=8000, verbose_name="理由")),
                        ("recorded_at", models.DateTimeField(auto_now=True)),
                        (
                            "disputed_clause",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="opinions",
                                to="panel.disputedclause",
                            ),
                        ),
                        (
                            "member",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "reviews_expertopinion",
                        "ordering": ["id"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("disputed_clause", "member"), name="expert_opinion_once"
                            )
                        ],
                    },
                ),
                migrations.AddConstraint(
                    model_name="disputedclause",
                    constraint=models.UniqueConstraint(
                        fields=("panel", "subject_officer", "clause_ref"),
                        name="disputed_clause_once",
                    ),
                ),
            ],
        ),
    ]
