"""The investigation app's models, moved from reviews with their tables
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
                    name="InvestigationReport",
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
                        ("version", models.PositiveIntegerField(default=1, verbose_name="版本")),
                        (
                            "findings_summary",
                            models.TextField(max_length=20000, verbose_name="调查认定的事实"),
                        ),
                        ("conclusion", models.TextField(max_length=20000, verbose_name="调查结论")),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "signed_off_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="签发时间"),
                        ),
                        (
                            "case",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="investigation_report",
                                to="cases.case",
                            ),
                        ),
                        (
                            "signed_off_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="签发人",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "调查报告",
                        "verbose_name_plural": "调查报告",
                        "db_table": "reviews_investigationreport",
                    },
                ),
                migrations.CreateModel(
                    name="ReportConclusion",
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
                            "conclusion",
                            models.CharField(
                                choices=[
                                    ("satisfied", "符合"),
                                    ("not_met", "不符合"),
                                    ("excluded", "属于除外情形"),
                                    ("undetermined", "尚难认定"),
                                ],
                                max_length=20,
                                verbose_name="结论",
                            ),
                        ),
                        (
                            "reasoning",
                            models.TextField(blank=True, max_length=4000, verbose_name="理由"),
                        ),
                        (
                            "report",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="clause_conclusions",
                                to="investigation.investigationreport",
                            ),
                        ),
                        (
                            "subject_officer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="cases.subjectofficer",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "reviews_reportconclusion",
                        "ordering": ["id"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("report", "subject_officer", "clause_ref"),
                                name="report_conclusion_once",
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
