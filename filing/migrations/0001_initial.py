"""The filing app's models, moved from reviews with their tables
(reviews_*): state only, the tables and their rows are those reviews 0001-0006
made. reviews 0007 removes the models from reviews' state."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import filing.models.filing


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("reviews", "0006_precedents"),
        ("accounts", "0006_assignment_and_notice_delivery"),
        ("cases", "0011_fact_record_carried_forward"),
        ("deliberation", "0001_initial"),
        ("documents", "0008_unit_seal"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="DisciplineTransfer",
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
                            "organ_name",
                            models.CharField(max_length=200, verbose_name="接收机关名称"),
                        ),
                        ("transferred_on", models.DateField(verbose_name="移送日期")),
                        (
                            "note",
                            models.TextField(blank=True, max_length=4000, verbose_name="移送说明"),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="记录时间"),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="transfers",
                                to="cases.case",
                            ),
                        ),
                        (
                            "determination",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="transfer",
                                to="deliberation.determination",
                            ),
                        ),
                        (
                            "discipline_body",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="transfers_received",
                                to="accounts.disciplinebody",
                                verbose_name="接收机关",
                            ),
                        ),
                        (
                            "letter",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="documents.document",
                                verbose_name="移送函",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "subject_officer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="transfers",
                                to="cases.subjectofficer",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "移送纪检监察机关",
                        "verbose_name_plural": "移送纪检监察机关",
                        "db_table": "reviews_disciplinetransfer",
                        "ordering": ["subject_officer_id", "-recorded_at"],
                    },
                ),
                migrations.CreateModel(
                    name="DutyOpinion",
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
                            "organ_name",
                            models.CharField(max_length=200, verbose_name="介入调查的机关"),
                        ),
                        ("issued_on", models.DateField(verbose_name="出具日期")),
                        (
                            "basis",
                            models.TextField(blank=True, max_length=8000, verbose_name="论证情况"),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="记录时间"),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="duty_opinions",
                                to="cases.case",
                            ),
                        ),
                        (
                            "discipline_body",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.disciplinebody",
                                verbose_name="提供给",
                            ),
                        ),
                        (
                            "document",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="documents.document",
                                verbose_name="书面意见",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "signed_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="签发人",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "依法履职情况书面意见",
                        "verbose_name_plural": "依法履职情况书面意见",
                        "db_table": "reviews_dutyopinion",
                        "ordering": ["-recorded_at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="OrganSanction",
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
                            "organ_name",
                            models.CharField(max_length=200, verbose_name="作出处分的机关名称"),
                        ),
                        ("decided_on", models.DateField(verbose_name="处分日期")),
                        (
                            "sanction",
                            models.CharField(max_length=300, verbose_name="处分或处理内容"),
                        ),
                        (
                            "reference",
                            models.CharField(
                                blank=True, max_length=100, verbose_name="处分决定文号"
                            ),
                        ),
                        (
                            "recorded_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="记录时间"),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="organ_sanctions",
                                to="cases.case",
                            ),
                        ),
                        (
                            "discipline_body",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.disciplinebody",
                                verbose_name="作出处分的机关",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "subject_officer",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="organ_sanction",
                                to="cases.subjectofficer",
                            ),
                        ),
                        (
                            "transfer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="sanctions",
                                to="filing.disciplinetransfer",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "纪检监察机关处分情况",
                        "verbose_name_plural": "纪检监察机关处分情况",
                        "db_table": "reviews_organsanction",
                        "ordering": ["subject_officer_id"],
                    },
                ),
                migrations.CreateModel(
                    name="DutyOpinionItem",
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
                            "duty_performed",
                            models.CharField(
                                choices=[
                                    ("performed", "已依法履职"),
                                    ("partly", "未完全依法履职"),
                                    ("not_performed", "未依法履职"),
                                    ("undetermined", "尚难认定"),
                                ],
                                max_length=20,
                                verbose_name="依法履职情况",
                            ),
                        ),
                        (
                            "fault",
                            models.CharField(
                                choices=[
                                    ("none", "不存在行政执法过错行为"),
                                    ("fault", "存在行政执法过错行为"),
                                    ("undetermined", "尚难认定"),
                                ],
                                max_length=20,
                                verbose_name="是否存在执法过错",
                            ),
                        ),
                        ("reasoning", models.TextField(max_length=8000, verbose_name="理由")),
                        (
                            "opinion",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="items",
                                to="filing.dutyopinion",
                            ),
                        ),
                        (
                            "subject_officer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="duty_opinion_items",
                                to="cases.subjectofficer",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "对执法人员的意见",
                        "verbose_name_plural": "对执法人员的意见",
                        "db_table": "reviews_dutyopinionitem",
                        "ordering": ["subject_officer_id"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("opinion", "subject_officer"), name="duty_opinion_item_once"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="FilingPackage",
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
                        ("version", models.PositiveSmallIntegerField(verbose_name="版本")),
                        (
                            "file",
                            models.FileField(
                                upload_to=filing.models.filing.package_upload_to,
                                verbose_name="材料包",
                            ),
                        ),
                        ("sha256", models.CharField(max_length=64)),
                        ("size", models.PositiveBigIntegerField()),
                        ("manifest", models.JSONField(verbose_name="清单")),
                        (
                            "correction_reason",
                            models.TextField(blank=True, verbose_name="更正理由"),
                        ),
                        (
                            "built_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="生成时间"),
                        ),
                        (
                            "acknowledged_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="签收时间"),
                        ),
                        (
                            "acknowledged_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="签收人",
                            ),
                        ),
                        (
                            "built_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="filing_packages",
                                to="cases.case",
                            ),
                        ),
                        (
                            "discipline_body",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="filing_packages",
                                to="accounts.disciplinebody",
                                verbose_name="备案机关",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "备案材料包",
                        "verbose_name_plural": "备案材料包",
                        "db_table": "reviews_filingpackage",
                        "ordering": ["-built_at", "-id"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("case", "version"), name="filing_version_once"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Publication",
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
                            "scope",
                            models.CharField(
                                choices=[
                                    ("unit", "本单位范围内"),
                                    ("system", "本系统范围内"),
                                    ("public", "向社会公开"),
                                ],
                                max_length=10,
                                verbose_name="公开范围",
                            ),
                        ),
                        (
                            "published_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="公开时间"
                            ),
                        ),
                        (
                            "public_notice",
                            models.JSONField(
                                blank=True, default=dict, verbose_name="公开内容（已脱敏）"
                            ),
                        ),
                        (
                            "withdrawn_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="撤回时间"),
                        ),
                        (
                            "withdrawal_reason",
                            models.TextField(blank=True, max_length=2000, verbose_name="撤回理由"),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="publications",
                                to="cases.case",
                            ),
                        ),
                        (
                            "notice",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="documents.document",
                                verbose_name="公开通知",
                            ),
                        ),
                        (
                            "published_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="公开人",
                            ),
                        ),
                        (
                            "withdrawn_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="撤回人",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "公开情况",
                        "verbose_name_plural": "公开情况",
                        "db_table": "reviews_publication",
                        "ordering": ["-published_at", "-id"],
                        "indexes": [
                            models.Index(
                                fields=["scope", "withdrawn_at", "-published_at"],
                                name="reviews_pub_scope_31a331_idx",
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("withdrawn_at__isnull", True)),
                                fields=("case", "scope"),
                                name="publication_scope_once_while_in_force",
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
