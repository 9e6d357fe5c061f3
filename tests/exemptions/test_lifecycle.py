"""The catalogue life-cycle (issue 19): upload → validation → diff →
golden-case report → approval by a second person → activation on the
effective date; and a third city's catalogue (the fictitious example in
docs/examples) loaded and a case decided under it."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from audit.models import AuditEvent, AuditEventType
from cases.models import Case
from cases.services.intake import IncidentInput
from cases.workflow import CaseState
from exemptions import errors as exemptions_errors
from exemptions import lifecycle
from exemptions.diff import catalog_diff
from exemptions.models import CatalogChange, RegulationVersion
from exemptions.services import CATALOG_DIR
from tests import flows
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "example-city-2026.yaml"
TAIAN_TEXT = (CATALOG_DIR / "taian-2020.yaml").read_text(encoding="utf-8")
TODAY = datetime.date(2026, 12, 7)


def taian_revision() -> bytes:
    """Tai'an 6.4 also requiring the prescribed items to have been inspected."""
    text = TAIAN_TEXT.replace(
        "          - cause_outside_inspection_scope\n",
        "          - cause_outside_inspection_scope\n          - prescribed_items_inspected\n",
        1,
    )
    assert text != TAIAN_TEXT
    return text.encode("utf-8")


@pytest.fixture
def admins(catalogs):
    return (
        UserFactory(username="admin1", display_name="郑管理", roles=[Role.ADMINISTRATOR]),
        UserFactory(username="admin2", display_name="韩管理", roles=[Role.ADMINISTRATOR]),
    )


def submit(
    actor, content: bytes, name="taian-2020.yaml", effective_on=TODAY, reason="依据修订文件"
):
    return lifecycle.catalog_change_submit(
        actor=actor, file_name=name, content=content, effective_on=effective_on, reason=reason
    )


def refused_with(message):
    """Expect the change refused with exactly this message."""
    return pytest.raises(lifecycle.CatalogChangeRefused, match=f"^{re.escape(str(message))}$")


# --- validation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected_zh", "expected_en"),
    [
        (
            b"slug: [unclosed\n",
            r"^文件 taian-2020\.yaml，第 \d+ 行：YAML 格式错误：",
            r"^File taian-2020\.yaml, line \d+: invalid YAML: ",
        ),
        (
            TAIAN_TEXT.replace("text: 因出现新的证据", "text: 因出现了全新的证据", 1).encode(),
            r"^文件 taian-2020\.yaml，条款 6\.12：条款原文不是所在条文的原文片段$",
            r"^File taian-2020\.yaml, clause 6\.12: the clause text is not a verbatim part of its article$",
        ),
        (
            TAIAN_TEXT.replace("- prescribed_items_inspected", "- no_such_fact", 1).encode()
            if "- prescribed_items_inspected" in TAIAN_TEXT
            else TAIAN_TEXT.replace(
                "requires: objective_limitations", "requires: no_such_fact", 1
            ).encode(),
            r"^文件 taian-2020\.yaml，条款 [\d.]+：requires 中的事实要素“no_such_fact”不在事实词表中$",
            r"^File taian-2020\.yaml, clause [\d.]+: the fact key “no_such_fact” in requires is not in the fact vocabulary$",
        ),
    ],
    ids=["yaml", "not-verbatim", "unknown-fact"],
)
def test_an_invalid_file_is_refused_in_the_readers_language_and_nothing_is_stored(
    admins, content, expected_zh, expected_en
):
    for language, expected in (("zh-hans", expected_zh), ("en", expected_en)):
        with (
            translation.override(language),
            pytest.raises(lifecycle.CatalogChangeRefused) as refused,
        ):
            submit(admins[0], content)
        assert re.match(expected, refused.value.messages[0]), refused.value.messages
    assert not CatalogChange.objects.exists()
    assert not AuditEvent.objects.filter(
        event_type=AuditEventType.CATALOG_CHANGE_SUBMITTED
    ).exists()


def test_the_same_content_as_the_current_version_and_an_empty_reason_are_refused(admins):
    with refused_with(exemptions_errors.SAME_AS_CURRENT % {"file": "taian-2020.yaml", "number": 1}):
        submit(admins[0], TAIAN_TEXT.encode())
    with refused_with(exemptions_errors.NOTES_MISSING):
        submit(admins[0], taian_revision(), reason="  ")
    with refused_with(exemptions_errors.NOT_YAML % {"file": "taian-2020.txt"}):
        submit(admins[0], taian_revision(), name="taian-2020.txt")
    assert not CatalogChange.objects.exists()


def test_only_an_administrator_may_propose(catalogs):
    inspector = UserFactory(roles=[Role.INSPECTOR])
    with pytest.raises(PermissionDenied):
        submit(inspector, taian_revision())
    assert not CatalogChange.objects.exists()


# --- diff and golden cases -------------------------------------------------------------


def test_the_diff_names_the_changed_condition_and_nothing_else(admins):
    change = submit(admins[0], taian_revision())
    clauses = change.diff["clauses"]
    assert [(c["ref"], c["change"], c["parts"]) for c in clauses] == [
        ("6.4", "changed", ["condition"])
    ]
    assert clauses[0]["new_condition"]["requires"][-1] == "prescribed_items_inspected"
    assert change.diff["procedure"] == [] and change.diff["metadata"] == []
    assert change.base_version.is_current


def test_the_diff_of_added_removed_and_procedure_changes(catalogs):
    import yaml

    from exemptions import engine
    from exemptions.selectors import catalog_for_version, database_vocabulary

    old = catalog_for_version(catalogs["taian"])
    data = yaml.safe_load(TAIAN_TEXT)
    data["procedure"]["no_liability_publication_required"] = {"value": False}
    data["procedure"]["close_requires_filing_and_publication"] = {"value": False}
    article6 = next(a for a in data["articles"] if a["number"] == 6)
    removed = article6["clauses"].pop()  # the last item of art. 6
    new = engine.parse_catalog(data, database_vocabulary(), "taian-2020.yaml")
    diff = catalog_diff(old, new)
    assert ("removed", removed["ref"]) in [(c.change, c.ref) for c in diff.clauses]
    assert {r.key for r in diff.procedure} == {
        "no_liability_publication_required",
        "close_requires_filing_and_publication",
    }
    everything = catalog_diff(None, new)
    assert {c.change for c in everything.clauses} == {"added"}
    assert len(everything.clauses) == len(new.clauses)


def test_the_golden_report_lists_a_decided_case_the_revision_would_decide_differently(admins):
    decided = flows.taian_case_at(CaseState.DECIDED)
    undecided = flows.taian_case_at(CaseState.INVESTIGATING)
    change = submit(admins[0], taian_revision())
    golden = change.golden
    assert golden["checked"] == 1  # the decided case's one officer; not the open case
    [row] = golden["changed"]
    assert row["case_id"] == decided.case.pk != undecided.case.pk
    assert row["case_number"] == decided.case.number
    assert (row["old_outcome"], row["new_outcome"]) == ("exempt", "undetermined")
    [clause] = row["clauses"]
    assert (clause["ref"], clause["old"], clause["new"]) == ("6.4", "satisfied", "undetermined")
    assert dict(map(tuple, clause["facts"])) == {
        "inspection_plan_followed": True,
        "cause_outside_inspection_scope": True,
        "prescribed_items_inspected": None,
    }


def test_a_revision_that_changes_nothing_for_decided_cases_reports_none(admins):
    flows.taian_case_at(CaseState.DECIDED)
    text = TAIAN_TEXT.replace(
        "document_number: 泰市监字〔2020〕47号", "document_number: 泰市监字〔2020〕48号"
    )
    change = submit(admins[0], text.encode())
    assert change.golden == {"checked": 1, "changed": []}
    assert change.diff["metadata"] == [
        {"key": "document_number", "old": "泰市监字〔2020〕47号", "new": "泰市监字〔2020〕48号"}
    ]


# --- four eyes and activation -----------------------------------------------------------


def test_the_uploader_cannot_approve_and_a_second_administrator_can(admins):
    first, second = admins
    change = submit(first, taian_revision(), effective_on=TODAY + datetime.timedelta(days=10))
    with refused_with(exemptions_errors.OWN_CHANGE):
        lifecycle.catalog_change_approve(actor=first, change_id=change.pk, today=TODAY)
    change.refresh_from_db()
    assert change.status == CatalogChange.Status.PENDING

    lifecycle.catalog_change_approve(actor=second, change_id=change.pk, note="同意", today=TODAY)
    change.refresh_from_db()
    assert change.status == CatalogChange.Status.APPROVED
    assert change.reviewed_by == second
    # Not yet in force: the current version is still the first.
    assert RegulationVersion.objects.get(regulation__slug="taian-2020", is_current=True).number == 1
    with refused_with(exemptions_errors.ALREADY_REVIEWED % {"status": "已批准，待生效"}):
        lifecycle.catalog_change_approve(actor=second, change_id=change.pk, today=TODAY)


def test_an_approved_change_takes_effect_on_its_date_and_decided_cases_keep_their_version(admins):
    first, second = admins
    decided = flows.taian_case_at(CaseState.DECIDED)
    effective = TODAY + datetime.timedelta(days=3)
    change = submit(first, taian_revision(), effective_on=effective)
    lifecycle.catalog_change_approve(actor=second, change_id=change.pk, today=TODAY)

    assert lifecycle.catalog_changes_activate_due(today=effective - datetime.timedelta(days=1)) == 0
    assert lifecycle.catalog_changes_activate_due(today=effective) == 1
    change.refresh_from_db()
    assert change.status == CatalogChange.Status.ACTIVE
    current = RegulationVersion.objects.get(regulation__slug="taian-2020", is_current=True)
    assert current == change.version and current.number == 2
    assert Case.objects.get(pk=decided.case.pk).regulation.number == 1
    assert lifecycle.catalog_changes_activate_due(today=effective) == 0  # once
    types = list(
        AuditEvent.objects.filter(object_type="exemptions.CatalogChange").values_list(
            "event_type", flat=True
        )
    )
    assert types == [
        AuditEventType.CATALOG_CHANGE_SUBMITTED,
        AuditEventType.CATALOG_CHANGE_APPROVED,
        AuditEventType.CATALOG_CHANGE_ACTIVATED,
    ]


def test_a_change_approved_on_or_after_its_date_takes_effect_at_once(admins):
    first, second = admins
    change = submit(first, taian_revision(), effective_on=TODAY)
    lifecycle.catalog_change_approve(actor=second, change_id=change.pk, today=TODAY)
    change.refresh_from_db()
    assert change.status == CatalogChange.Status.ACTIVE


def test_rejection_needs_a_reason_and_ends_the_change(admins):
    first, second = admins
    change = submit(first, taian_revision())
    with refused_with(exemptions_errors.REJECTION_REASON_MISSING):
        lifecycle.catalog_change_reject(actor=second, change_id=change.pk, note="")
    lifecycle.catalog_change_reject(actor=second, change_id=change.pk, note="依据文件未附")
    change.refresh_from_db()
    assert change.status == CatalogChange.Status.REJECTED
    assert RegulationVersion.objects.filter(regulation__slug="taian-2020").count() == 1


def test_a_stale_change_cannot_be_approved(admins):
    first, second = admins
    stale = submit(first, taian_revision(), reason="甲")
    other = submit(
        second,
        TAIAN_TEXT.replace("泰市监字〔2020〕47号", "泰市监字〔2020〕49号").encode(),
        reason="乙",
    )
    lifecycle.catalog_change_approve(actor=first, change_id=other.pk, today=TODAY)
    with refused_with(exemptions_errors.STALE_CHANGE):
        lifecycle.catalog_change_approve(actor=second, change_id=stale.pk, today=TODAY)


# --- a third city ---------------------------------------------------------------------------


EXAMPLE_SCENARIO = flows.Scenario(
    jurisdiction="example",
    incident=IncidentInput(
        summary="某商店销售过期食品，执法人员按计划检查时未发现。（示例）",
        date=datetime.date(2026, 3, 5),
        place="示例市",
        field="food",
        activity_kind="inspection",
        lead_source="complaint",
        allegation="执法人员未能发现过期食品。（示例）",
        disputed=False,
    ),
    claimed=("2.1",),
    intake_facts={"inspection_plan_followed": True},
    investigation_facts={
        "inspection_plan_followed": True,
        "cause_outside_inspection_scope": True,
        "fault_established": False,
    },
    deliberation_facts={
        "inspection_plan_followed": True,
        "cause_outside_inspection_scope": True,
        "fault_established": False,
    },
    report_conclusions=(("2.1", "satisfied", "已按计划检查。"),),
    outcome="exempt",
    cited=("2.1",),
    reasons="符合示例办法第二条第（一）项，不予追究责任。",
)


def test_the_example_citys_catalogue_is_uploaded_approved_and_a_case_decided_under_it(admins):
    first, second = admins
    change = submit(
        first, EXAMPLE.read_bytes(), name=EXAMPLE.name, effective_on=datetime.date(2026, 2, 1)
    )
    assert change.base_version is None
    assert {c["change"] for c in change.diff["clauses"]} == {"added"}
    assert change.golden == {"checked": 0, "changed": []}
    lifecycle.catalog_change_approve(actor=second, change_id=change.pk, today=TODAY)
    version = RegulationVersion.objects.get(regulation__slug="example-city-2026", is_current=True)
    assert version.regulation.jurisdiction_code == "example"

    flow = flows.case_at(EXAMPLE_SCENARIO, CaseState.DECIDED)
    case = Case.objects.get(pk=flow.case.pk)
    assert case.regulation == version
    determination = flow.determinations[0]
    assert determination.outcome == "exempt"
    assert list(determination.cited_clauses) == ["2.1"]


# --- the pages ------------------------------------------------------------------------------


def test_the_pages_walk_upload_to_activation(client, admins):
    first, second = admins
    flows.taian_case_at(CaseState.DECIDED)
    client.force_login(first)
    assert client.get(reverse("exemptions:changes")).status_code == 200

    bad = client.post(
        reverse("exemptions:change_create"),
        {
            "file": _upload("taian-2020.yaml", b"slug: [unclosed\n"),
            "effective_on": "2026-12-07",
            "reason": "修订",
        },
    )
    assert bad.status_code == 400
    assert "YAML 格式错误" in bad.content.decode()
    assert not CatalogChange.objects.exists()

    response = client.post(
        reverse("exemptions:change_create"),
        {
            "file": _upload("taian-2020.yaml", taian_revision()),
            "effective_on": "2026-01-01",
            "reason": "依据修订文件",
        },
    )
    change = CatalogChange.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("exemptions:change", args=[change.pk])).content.decode()
    assert "第六条第（四）项" in page and "已按规定的检查项目开展检查" in page
    assert 'data-testid="golden-report"' in page
    assert 'data-testid="review-form"' not in page  # the uploader does not review

    client.force_login(second)
    page = client.get(reverse("exemptions:change", args=[change.pk])).content.decode()
    assert 'data-testid="review-form"' in page
    client.post(reverse("exemptions:change_review", args=[change.pk, "approve"]), {"note": "同意"})
    change.refresh_from_db()
    assert change.status == CatalogChange.Status.ACTIVE


def test_the_pages_refuse_other_roles(client, catalogs):
    client.force_login(UserFactory(roles=[Role.INSPECTOR]))
    for name in ("exemptions:changes", "exemptions:change_create"):
        assert client.get(reverse(name)).status_code == 403


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/x-yaml")


def _example_cases():
    import yaml

    entries = yaml.safe_load(EXAMPLE.with_suffix(".cases.yaml").read_text(encoding="utf-8"))
    return [
        pytest.param(entry["clause"], case, id=f"{entry['clause']}:{case['name']}")
        for entry in entries
        for case in entry["cases"]
    ]


@pytest.mark.parametrize(("ref", "case"), _example_cases())
def test_the_example_catalogue_reads_as_its_clause_cases_say(ref, case):
    """The guide's example comes with its test file per clause, as every
    catalogue does (tests/exemptions/clause_cases)."""
    from exemptions.engine import evaluate_clause, validate_facts
    from exemptions.services import catalog_read_file, vocabulary_read_file

    vocabulary = vocabulary_read_file(path=CATALOG_DIR / "facts.yaml")
    catalog = catalog_read_file(path=EXAMPLE, vocabulary=vocabulary)
    facts = validate_facts(catalog.vocabulary, case["facts"])
    result = evaluate_clause(catalog.clause(ref), facts)
    assert result.result == case["result"]
    assert result.missing_facts == case.get("missing_facts", [])


# --- a catalogue's own facts ----------------------------------------------------------------

NEW_FACT = "written_rectification_notice_given"


def test_a_catalogue_may_declare_facts_the_vocabulary_lacks():
    import yaml

    from exemptions import engine
    from exemptions.services import catalog_canonical_data, vocabulary_read_file

    vocabulary = vocabulary_read_file(path=CATALOG_DIR / "facts.yaml")
    assert NEW_FACT not in vocabulary
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    catalog = engine.parse_catalog(data, vocabulary, EXAMPLE.name)
    fact = catalog.vocabulary[NEW_FACT]
    assert (fact.label_en, fact.sentence_true) == (
        "A written order to rectify was served on the regulated party",
        "执法人员已书面责令监管对象整改",
    )
    assert catalog.clause("2.3").facts() == [NEW_FACT, "counterparty_noncompliance"]
    # Stored and read back (the vocabulary then has the fact already): the same catalogue.
    canonical = catalog_canonical_data(catalog)
    assert canonical["facts"][NEW_FACT]["type"] == "bool"
    merged = engine.Vocabulary([*vocabulary.facts, fact])
    again = engine.parse_catalog(canonical, merged, "example-city-2026 v1")
    assert catalog_canonical_data(again) == canonical


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (
            {"consequence": {"type": "bool", "label_zh": "后果", "description": "x"}},
            "事实要素“consequence”已在事实词表中，类型或取值不同",
        ),
        ({NEW_FACT: {"type": "bool", "description": "x"}}, "须有 label_zh 和 description"),
        ([], "“facts”须为以事实要素键为键的非空映射"),
    ],
    ids=["other-type", "no-label", "not-a-mapping"],
)
def test_a_declared_fact_that_does_not_fit_is_refused_by_name(admins, facts, expected):
    import yaml

    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["facts"] = facts
    content = yaml.safe_dump(data, allow_unicode=True).encode()
    with pytest.raises(lifecycle.CatalogChangeRefused) as refused:
        submit(admins[0], content, name=EXAMPLE.name)
    [message] = refused.value.messages
    assert message.startswith("文件 example-city-2026.yaml，自带的事实要素（facts）：")
    assert expected in message
    from exemptions.models import Fact

    assert not Fact.objects.filter(key=NEW_FACT).exists()


def test_a_declared_fact_is_usable_end_to_end_without_code(admins, client):
    from cases.assessment import assess_officer
    from cases.workflow import Stage
    from documents.prose import fact_sentence
    from exemptions.models import Fact

    first, second = admins
    change = submit(first, EXAMPLE.read_bytes(), name=EXAMPLE.name, effective_on=TODAY)
    lifecycle.catalog_change_approve(actor=second, change_id=change.pk, today=TODAY)
    fact = Fact.objects.get(key=NEW_FACT)
    assert fact.label_en.startswith("A written order to rectify")

    scenario = flows.Scenario(
        **{**EXAMPLE_SCENARIO.__dict__, "claimed": ("2.3",), "intake_facts": {}}
    )
    flow = flows.new_case(scenario)
    flows.record_facts(
        flow,
        Stage.INTAKE,
        {NEW_FACT: True, "counterparty_noncompliance": True},
        flow.staff.inspector,
    )
    results = {
        r.ref: r.result for r in assess_officer(flow.case, flow.officer, Stage.INTAKE).clauses
    }
    assert results["2.3"] == "satisfied"

    # The facts page offers it in the city's words, under its clause.
    client.force_login(flow.staff.inspector)
    page = client.get(reverse("cases:facts", args=[flow.case.pk, Stage.INTAKE])).content.decode()
    assert "已书面责令监管对象整改" in page
    # Documents state it with the catalogue's own sentence.
    sentences = (fact.sentence_true, fact.sentence_false)
    assert (
        fact_sentence(NEW_FACT, False, fact.label, sentences=sentences)
        == "执法人员未书面责令监管对象整改"
    )
