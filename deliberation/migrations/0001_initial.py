"""The deliberation app's models, moved from reviews with their tables
(reviews_*): state only, the tables and their rows are those reviews 0001-0006
made. reviews 0007 removes the models from reviews' state."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("reviews", "0006_precedents"),
        ("accounts", "0006_assignment_and_notice_delivery"),
        ("cases", "0011_fact_record_carried_forward"),
        ("exemptions", "0005_fact_sentences"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="DecisionRules",
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
                            "quorum_numerator",
                            models.PositiveSmallIntegerField(
                                default=2, verbose_name="法定出席比例（分子）"
                            ),
                        ),
                        (
                            "quorum_denominator",
                            models.PositiveSmallIntegerField(
                                default=3, verbose_name="法定出席比例（分母）"
                            ),
                        ),
                        (
                            "majority_numerator",
                            models.PositiveSmallIntegerField(
                                default=1, verbose_name="通过比例（分子）"
                            ),
                        ),
                        (
                            "majority_denominator",
                            models.PositiveSmallIntegerField(
                                default=2, verbose_name="通过比例（分母）"
                            ),
                        ),
                        (
                            "unit",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="decision_rules",
                                to="accounts.unit",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "集体研究规则",
                        "verbose_name_plural": "集体研究规则",
                        "db_table": "reviews_decisionrules",
                    },
                ),
                migrations.CreateModel(
                    name="Meeting",
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
                        ("held_on", models.DateField(verbose_name="会议日期")),
                        ("place", models.CharField(max_length=200, verbose_name="会议地点")),
                        (
                            "status",
                            models.CharField(
                                choices=[("open", "表决中"), ("closed", "已闭会")],
                                default="open",
                                max_length=10,
                            ),
                        ),
                        ("quorum_numerator", models.PositiveSmallIntegerField()),
                        ("quorum_denominator", models.PositiveSmallIntegerField()),
                        ("majority_numerator", models.PositiveSmallIntegerField()),
                        ("majority_denominator", models.PositiveSmallIntegerField()),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("closed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="meetings",
                                to="cases.case",
                            ),
                        ),
                        (
                            "closed_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "convened_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "集体研究会议",
                        "verbose_name_plural": "集体研究会议",
                        "db_table": "reviews_meeting",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="Determination",
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
                            "outcome",
                            models.CharField(
                                choices=[
                                    ("exempt", "不予追究责任"),
                                    ("no_fault", "不构成执法过错"),
                                    ("mitigated", "从轻或者减轻追究责任"),
                                    ("liable", "追究责任"),
                                    ("transferred", "移送纪检监察机关"),
                                ],
                                max_length=20,
                                verbose_name="认定结果",
                            ),
                        ),
                        ("cited_clauses", models.JSONField(default=list, verbose_name="援引条款")),
                        (
                            "measure",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("", "无"),
                                    ("talk_reminder", "谈话提醒"),
                                    ("criticism_education", "批评教育"),
                                    ("ordered_self_examination", "责令检查"),
                                    ("admonishment", "诫勉"),
                                    ("removal_from_enforcement_post", "调离行政执法岗位"),
                                    ("revocation_of_enforcement_qualification", "取消行政执法资格"),
                                    ("disciplinary_sanction", "处分"),
                                ],
                                default="",
                                max_length=50,
                                verbose_name="处理措施",
                            ),
                        ),
                        (
                            "sanction",
                            models.CharField(
                                blank=True, max_length=300, verbose_name="处分或处理的具体内容"
                            ),
                        ),
                        ("reasons", models.TextField(max_length=20000, verbose_name="认定理由")),
                        (
                            "engine_outcome",
                            models.CharField(max_length=20, verbose_name="系统建议结果"),
                        ),
                        (
                            "departure_reason",
                            models.TextField(blank=True, verbose_name="与系统建议不一致的理由"),
                        ),
                        (
                            "precedent_departure_reason",
                            models.TextField(
                                blank=True, verbose_name="与类似案例多数结果不一致的理由"
                            ),
                        ),
                        (
                            "publication_scope",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("unit", "本单位范围内"),
                                    ("system", "本系统范围内"),
                                    ("public", "向社会公开"),
                                ],
                                default="",
                                max_length=10,
                                verbose_name="公开范围",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("proposed", "待表决"),
                                    ("adopted", "表决通过"),
                                    ("rejected", "未获通过"),
                                ],
                                default="proposed",
                                max_length=10,
                            ),
                        ),
                        ("tally", models.JSONField(blank=True, default=dict)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("decided_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="determinations",
                                to="cases.case",
                            ),
                        ),
                        (
                            "proposed_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "regulation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="exemptions.regulationversion",
                            ),
                        ),
                        (
                            "subject_officer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="determinations",
                                to="cases.subjectofficer",
                            ),
                        ),
                        (
                            "meeting",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="determinations",
                                to="deliberation.meeting",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "责任认定",
                        "verbose_name_plural": "责任认定",
                        "db_table": "reviews_determination",
                        "ordering": ["subject_officer_id", "-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="MeetingMember",
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
                        ("is_chair", models.BooleanField(default=False, verbose_name="主要负责人")),
                        (
                            "attendance",
                            models.CharField(
                                choices=[
                                    ("present", "出席"),
                                    ("absent", "缺席"),
                                    ("recused", "回避"),
                                ],
                                default="present",
                                max_length=10,
                                verbose_name="出席情况",
                            ),
                        ),
                        (
                            "recusal_reason",
                            models.CharField(blank=True, max_length=300, verbose_name="回避理由"),
                        ),
                        ("written_opinion", models.TextField(blank=True, verbose_name="书面意见")),
                        (
                            "meeting",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="members",
                                to="deliberation.meeting",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "reviews_meetingmember",
                        "ordering": ["is_chair", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="Vote",
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
                                    ("agree", "同意"),
                                    ("disagree", "不同意"),
                                    ("abstain", "弃权"),
                                ],
                                max_length=10,
                                verbose_name="表态",
                            ),
                        ),
                        ("reasoning", models.TextField(max_length=4000, verbose_name="理由")),
                        ("recorded_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "determination",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="votes",
                                to="deliberation.determination",
                            ),
                        ),
                        (
                            "member",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="votes",
                                to="deliberation.meetingmember",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "reviews_vote",
                        "ordering": ["recorded_at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="PrecedentSignature",
                    fields=[
                        (
                            "determination",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                primary_key=True,
                                related_name="precedent_signature",
                                serialize=False,
                                to="deliberation.determination",
                            ),
                        ),
                        ("outcome", models.CharField(max_length=20)),
                        ("measure", models.CharField(blank=True, default="", max_length=50)),
                        ("decided_on", models.DateField()),
                        ("clauses", models.JSONField(default=list)),
                        ("facts", models.JSONField(default=list)),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="cases.case",
                            ),
                        ),
                        (
                            "regulation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="exemptions.regulation",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="accounts.unit",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "reviews_precedentsignature",
                    },
                ),
                migrations.CreateModel(
                    name="PrecedentClause",
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
                        ("clause_ref", models.CharField(max_length=32)),
                        ("outcome", models.CharField(max_length=20)),
                        ("decided_on", models.DateField()),
                        (
                            "regulation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="exemptions.regulation",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="accounts.unit",
                            ),
                        ),
                        (
                            "signature",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="clause_rows",
                                to="deliberation.precedentsignature",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "reviews_precedentclause",
                    },
                ),
                migrations.AddConstraint(
                    model_name="determination",
                    constraint=models.UniqueConstraint(
                        fields=("meeting", "subject_officer"), name="determination_once_per_meeting"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="meetingmember",
                    constraint=models.UniqueConstraint(
                        fields=("meeting", "user"), name="meeting_member_once"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="vote",
                    constraint=models.UniqueConstraint(
                        fields=("determination", "member"), name="vote_once"
                    ),
                ),
                migrations.AddIndex(
                    model_name="precedentsignature",
                    index=models.Index(
                        fields=["regulation", "-decided_on"], name="precedent_reg_recent"
                    ),
                ),
                migrations.AddIndex(
                    model_name="precedentsignature",
                    index=models.Index(fields=["-decided_on"], name="precedent_recent"),
                ),
                migrations.AddIndex(
                    model_name="precedentclause",
                    index=models.Index(
                        fields=["regulation", "clause_ref", "-decided_on"],
                        name="precedent_clause_recent",
                    ),
                ),
                migrations.AddIndex(
                    model_name="precedentclause",
                    index=models.Index(
                        fields=["regulation", "clause_ref", "unit", "outcome"],
                        name="precedent_clause_spread",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="precedentclause",
                    constraint=models.UniqueConstraint(
                        fields=("signature", "clause_ref"), name="precedent_clause_once"
                    ),
                ),
            ],
        ),
    ]
