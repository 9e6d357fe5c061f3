"""The upgrade across the split of reviews into investigation, panel,
deliberation and filing (reviews 0007 and the stage apps' 0001): a database
at the last migration before it keeps every row, its content types and
permissions, and a liaison's download recorded before the split still counts.
Runs on SQLite and on PostgreSQL alike (state-only migrations)."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from accounts.roles import Role
from audit.models import AuditEventType
from audit.services import audit_record
from deliberation.models import DecisionRules, Determination, Meeting, MeetingMember, Vote
from filing.models import FilingPackage
from filing.models.filing import PACKAGE_AUDIT_LABELS
from filing.selectors import filing_downloads
from filing.services.filing import filing_acknowledge_refusal
from investigation.models import InvestigationReport, ReportConclusion
from panel.models import DisputedClause, ExpertOpinion, ExpertPanel
from tests.factories import UserFactory
from tests.flows import taian_case_at

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_SPLIT = [
    ("reviews", "0006_precedents"),
    ("investigation", None),
    ("panel", None),
    ("deliberation", None),
    ("filing", None),
]
MOVED = [
    InvestigationReport,
    ReportConclusion,
    ExpertPanel,
    DisputedClause,
    ExpertOpinion,
    Meeting,
    MeetingMember,
    Determination,
    Vote,
    FilingPackage,
]


def _migrate(targets=None):
    """Migrate to the targets (the latest nodes if None) and return the
    models of that state."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    nodes = [target for target in targets if target[1] is not None]
    nodes.append(("contenttypes", "0002_remove_content_type_name"))
    return MigrationExecutor(connection).loader.project_state(nodes).apps


def _rows(model) -> list[int]:
    return sorted(model.objects.values_list("pk", flat=True))


@pytest.fixture
def filed(catalogs):
    return taian_case_at("filed")


def test_an_upgrade_from_before_the_split_keeps_every_row(filed):
    case = filed.case
    liaison = UserFactory(
        roles=[Role.DISCIPLINE_LIAISON], discipline_body=case.unit.discipline_body
    )
    package_ct = ContentType.objects.get_for_model(FilingPackage)
    view_package = Permission.objects.get(content_type=package_ct, codename="view_filingpackage")

    try:
        old = _migrate(BEFORE_SPLIT)
        # The rows are reviews' again, under the same content type.
        rows = {model.__name__: _rows(old.get_model("reviews", model.__name__)) for model in MOVED}
        assert all(rows.values()), rows
        OldContentType = old.get_model("contenttypes", "ContentType")
        assert OldContentType.objects.get(pk=package_ct.pk).app_label == "reviews"
        # What a database of that version records: meeting rules, and a
        # download of the package named by the old app's label.
        old.get_model("reviews", "DecisionRules").objects.update_or_create(
            unit_id=case.unit_id, defaults={"quorum_numerator": 3, "quorum_denominator": 4}
        )
        old_package = old.get_model("reviews", "FilingPackage").objects.get(case_id=case.pk)
        with transaction.atomic():
            download = audit_record(
                event_type=AuditEventType.FILING_PACKAGE_DOWNLOADED,
                actor=liaison,
                case=case,
                obj=old_package,
            )
        assert download.object_type == "reviews.FilingPackage"
    finally:
        _migrate()

    assert {model.__name__: _rows(model) for model in MOVED} == rows
    rules = DecisionRules.objects.get(unit=case.unit)
    assert (rules.quorum_numerator, rules.quorum_denominator) == (3, 4)
    assert ExpertPanel.objects.get(case=case).members.count() == len(filed.staff.experts)
    # The same content type row, now the filing app's, with its permissions.
    moved_ct = ContentType.objects.get(pk=package_ct.pk)
    assert (moved_ct.app_label, moved_ct.model) == ("filing", "filingpackage")
    assert not ContentType.objects.filter(app_label="reviews").exists()
    assert Permission.objects.get(pk=view_package.pk).content_type_id == package_ct.pk
    # The download recorded before the split is read back: the liaison may sign.
    package = FilingPackage.objects.get(case=case)
    assert [e.pk for e in filing_downloads([package])[package.pk]] == [download.pk]
    assert filing_acknowledge_refusal(liaison, package) is None


def test_the_package_label_read_back_is_the_one_recorded_now():
    assert FilingPackage._meta.label in PACKAGE_AUDIT_LABELS
