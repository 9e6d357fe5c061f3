"""The reviews app is split by stage: its models now belong to investigation,
panel, deliberation and filing, whose 0001 migrations take them over with the
same reviews_* tables. This removes them from reviews' state (the tables and
rows stay) and moves their content types, so that permissions, the admin log
and anything else keyed on a content type keep pointing at the same model."""

from django.db import migrations

MOVED = {
    "investigationreport": "investigation",
    "reportconclusion": "investigation",
    "expertpanel": "panel",
    "disputedclause": "panel",
    "expertopinion": "panel",
    "decisionrules": "deliberation",
    "meeting": "deliberation",
    "meetingmember": "deliberation",
    "determination": "deliberation",
    "vote": "deliberation",
    "precedentsignature": "deliberation",
    "precedentclause": "deliberation",
    "filingpackage": "filing",
    "publication": "filing",
    "disciplinetransfer": "filing",
    "organsanction": "filing",
    "dutyopinion": "filing",
    "dutyopinionitem": "filing",
}
# Those that others point to last, so that no model in the state is left
# pointing at one already removed.
DELETE_ORDER = [
    "Vote",
    "PrecedentClause",
    "PrecedentSignature",
    "OrganSanction",
    "DisciplineTransfer",
    "DutyOpinionItem",
    "DutyOpinion",
    "Determination",
    "MeetingMember",
    "Meeting",
    "DecisionRules",
    "ExpertOpinion",
    "DisputedClause",
    "ExpertPanel",
    "ReportConclusion",
    "InvestigationReport",
    "FilingPackage",
    "Publication",
]


def _move_content_types(apps, source_of, target_of):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, app_label in MOVED.items():
        source, target = source_of(app_label), target_of(app_label)
        qs = ContentType.objects
        if qs.filter(app_label=target, model=model).exists():
            # Already there (made by a post_migrate of this version): keep it.
            continue
        qs.filter(app_label=source, model=model).update(app_label=target)


def content_types_forward(apps, schema_editor):
    _move_content_types(apps, lambda app: "reviews", lambda app: app)


def content_types_backward(apps, schema_editor):
    _move_content_types(apps, lambda app: app, lambda app: "reviews")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("reviews", "0006_precedents"),
        ("investigation", "0001_initial"),
        ("panel", "0001_initial"),
        ("deliberation", "0001_initial"),
        ("filing", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name=name) for name in DELETE_ORDER],
        ),
        migrations.RunPython(content_types_forward, content_types_backward),
    ]
