"""Facts per stage and per officer (cases/services/facts.py), the clauses
claimed at intake, and what the clause check makes of them at each stage:
results, exact missing facts, proposed outcome."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent, AuditEventType
from cases import errors as cases_errors
from cases.assessment import assess_officer, clause_matrix, facts_by_officer
from cases.models import Case, ClauseClaim, FactRecord
from cases.selectors import case_detail
from cases.services.evidence import evidence_upload
from cases.services.facts import fact_record
from cases.services.intake import case_claims_set
from cases.workflow import CaseState, Stage
from tests import flows
from tests.flows import details, new_events, nothing_changes

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def record(flow, key, value, stage=Stage.INTAKE, actor=None, **kwargs):
    actor = actor or {
        Stage.INTAKE: flow.staff.inspector,
        Stage.INVESTIGATION: flow.staff.investigator,
        Stage.DELIBERATION: flow.staff.leaders[0],
    }.get(stage, flow.staff.inspector)
    return fact_record(
        actor=actor, case=flow.reload(), stage=stage, fact_key=key, value=value, **kwargs
    )


def cell(flow, ref, stage=Stage.INTAKE, officer=0):
    matrix = clause_matrix(case_detail(flow.case.pk))[officer]
    return next(row for row in matrix.rows if row.ref == ref).cells[stage]


def refused_with(flow, call, message_dict=None, messages=None):
    with nothing_changes(flow.case), pytest.raises(ValidationError) as error:
        call()
    if message_dict is not None:
        assert error.value.message_dict == message_dict
    if messages is not None:
        assert error.value.messages == messages


# --- recording ---------------------------------------------------------------------------


def test_a_fact_is_recorded_changed_and_made_unknown_again_each_with_its_event(unit):
    flow = flows.taian_case_at(CaseState.DRAFT, unit=unit)
    with new_events() as events:
        first = record(flow, "cause_outside_inspection_scope", True, note="举报材料")
    assert (first.value, first.note, first.recorded_by) == (True, "举报材料", flow.staff.inspector)
    with new_events() as changed:
        again = record(flow, "cause_outside_inspection_scope", False)
    assert again.pk == first.pk  # one record per fact, stage and officer
    with new_events() as removed:
        assert record(flow, "cause_outside_inspection_scope", None) is None
    assert not FactRecord.objects.filter(fact_key="cause_outside_inspection_scope").exists()

    assert [e.event_type for e in events + changed + removed] == [AuditEventType.FACT_RECORDED] * 3
    assert [(e.data["before"], e.data["after"]) for e in events + changed + removed] == [
        (None, True),
        (True, False),
        (False, None),
    ]
    assert events[0].summary == (  # the fact in the words of the case's regulation (Tai'an 6.4)
        "登记·全案：已经检查的监管对象因为检查内容以外的原因或者自身原因引发危害性事故，"
        "或者未被检查到的监管对象发生危害性事故 = 是"
    )
    assert removed[0].summary.endswith("= 未认定")


def test_an_officers_own_fact_overrides_the_case_wide_one(unit):
    flow = flows.taian_case_at(CaseState.INVESTIGATING, unit=unit, officers=2)
    first, second = flow.subject_officers
    flows.find_facts(flow)  # case-wide: 6.4 satisfied for both
    record(
        flow,
        "cause_outside_inspection_scope",
        False,
        stage=Stage.INVESTIGATION,
        subject_officer=second,
        note="该人员负责的检查项目包含过期食品",
    )
    facts = facts_by_officer(flow.reload(), Stage.INVESTIGATION)
    assert facts[first.pk]["cause_outside_inspection_scope"] is True
    assert facts[second.pk]["cause_outside_inspection_scope"] is False
    assert cell(flow, "6.4", Stage.INVESTIGATION, 0).result == "satisfied"
    assert cell(flow, "6.4", Stage.INVESTIGATION, 1).result == "not_met"
    first_matrix, second_matrix = clause_matrix(flow.case)
    assert first_matrix.outcomes[Stage.INVESTIGATION] == "exempt"
    assert second_matrix.outcomes[Stage.INVESTIGATION] == "no_fault"


def test_facts_of_each_stage_are_kept_apart(unit):
    flow = flows.taian_case_at(CaseState.INVESTIGATING, unit=unit)
    flows.find_facts(flow)
    assert facts_by_officer(flow.case, Stage.INTAKE)[flow.officer.pk] == {
        "inspection_plan_followed": True
    }
    assert facts_by_officer(flow.case, Stage.DELIBERATION)[flow.officer.pk] == {}


def test_a_stage_without_facts_is_refused(unit):
    flow = flows.taian_case_at(CaseState.EXPERT_REVIEW, unit=unit)
    refused_with(
        flow,
        lambda: record(flow, "force_majeure", True, stage=Stage.EXPERT_REVIEW),
        messages=[str(cases_errors.STAGE_RECORDS_NO_FACTS)],
    )


@pytest.mark.parametrize(
    ("state", "stage", "message"),
    [
        (
            CaseState.INVESTIGATING,
            Stage.INTAKE,
            cases_errors.FACTS_NOT_IN_STAGE % {"state": "调查核实", "stage": "登记"},
        ),
        (
            CaseState.REGISTERED,
            Stage.INVESTIGATION,
            cases_errors.FACTS_NOT_IN_STAGE % {"state": "已登记", "stage": "调查核实"},
        ),
        (
            CaseState.DELIBERATION,
            Stage.INVESTIGATION,
            cases_errors.FACTS_NOT_IN_STAGE % {"state": "集体研究", "stage": "调查核实"},
        ),
        (
            CaseState.INVESTIGATING,
            Stage.DELIBERATION,
            cases_errors.FACTS_NOT_IN_STAGE % {"state": "调查核实", "stage": "集体研究"},
        ),
        (
            CaseState.DECIDED,
            Stage.DELIBERATION,
            cases_errors.FACTS_NOT_IN_STAGE % {"state": "已作出决定", "stage": "集体研究"},
        ),
    ],
)
def test_facts_are_recorded_only_while_their_stage_is_open(unit, state, stage, message):
    flow = flows.taian_case_at(state, unit=unit, disputed=False)
    before = FactRecord.objects.count()
    refused_with(
        flow, lambda: record(flow, "force_majeure", True, stage=stage, note="…"), messages=[message]
    )
    assert FactRecord.objects.count() == before


def test_intake_facts_may_still_change_after_registration(unit):
    flow = flows.taian_case_at(CaseState.REGISTERED, unit=unit)
    record(flow, "cause_outside_inspection_scope", True)
    assert cell(flow, "6.4").result == "satisfied"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("no_such_fact", True, "unknown fact key 'no_such_fact'"),
        ("force_majeure", "yes", "fact 'force_majeure' must be true or false, got 'yes'"),
        (
            "consequence",
            "catastrophic",
            "fact 'consequence' must be one of none, minor, major, severe, got 'catastrophic'",
        ),
        (
            "consequence",
            True,
            "fact 'consequence' must be one of none, minor, major, severe, got True",
        ),
    ],
)
def test_a_fact_outside_the_vocabulary_or_of_the_wrong_type_is_refused(unit, key, value, message):
    flow = flows.taian_case_at(CaseState.DRAFT, unit=unit)
    with nothing_changes(flow.case), pytest.raises(ValidationError) as error:
        record(flow, key, value)
    assert list(error.value.message_dict) == ["value"]
    assert message in error.value.message_dict["value"][0]
    assert not FactRecord.objects.filter(fact_key=key).exists()


def test_an_officer_of_another_case_is_refused(unit):
    flow = flows.taian_case_at(CaseState.DRAFT, unit=unit)
    other = flows.taian_case_at(CaseState.DRAFT, staff=flow.staff)
    refused_with(
        flow,
        lambda: record(flow, "force_majeure", True, subject_officer=other.officer),
        messages=[str(cases_errors.NOT_A_SUBJECT_OFFICER)],
    )


@pytest.mark.parametrize("key", ["other_exemption_basis", "other_mitigation_basis"])
def test_the_open_ended_facts_need_a_written_basis(unit, key):
    flow = flows.taian_case_at(CaseState.DRAFT, unit=unit)
    refused_with(
        flow, lambda: record(flow, key, True), {"basis": [str(cases_errors.FACT_BASIS_MISSING)]}
    )
    refused_with(
        flow,
        lambda: record(flow, key, True, basis="  "),
        {"basis": [str(cases_errors.FACT_BASIS_MISSING)]},
    )
    assert record(flow, key, False).value is False  # denying it needs no basis
    saved = record(flow, key, True, basis="依照《公务员法》有关规定。")
    assert saved.basis == "依照《公务员法》有关规定。"
    ref = {"other_exemption_basis": "6.16", "other_mitigation_basis": "7.3"}[key]
    assert cell(flow, ref).result == "satisfied"


def test_a_finding_needs_evidence_or_a_note(unit):
    flow = flows.taian_case_at(CaseState.INVESTIGATING, unit=unit)
    refused_with(
        flow,
        lambda: record(flow, "fault_established", False, stage=Stage.INVESTIGATION, note="  "),
        {"evidence": [str(cases_errors.FACT_EVIDENCE_MISSING)]},
    )
    evidence = evidence_upload(
        actor=flow.staff.investigator,
        case=flow.case,
        upload=SimpleUploadedFile("检查记录.png", PNG),
        description="现场检查记录照片",
    )
    with new_events() as events:
        saved = record(
            flow, "fault_established", False, stage=Stage.INVESTIGATION, evidence=[evidence]
        )
    assert list(saved.evidence.all()) == [evidence]
    assert events[0].data["evidence"] == [evidence.sha256]
    # Making a finding unknown again needs neither.
    assert record(flow, "fault_established", None, stage=Stage.INVESTIGATION) is None


def test_evidence_of_another_case_cannot_support_a_finding(unit):
    flow = flows.taian_case_at(CaseState.INVESTIGATING, unit=unit)
    other = flows.taian_case_at(CaseState.INVESTIGATING, staff=flow.staff)
    foreign = evidence_upload(
        actor=flow.staff.investigator,
        case=other.case,
        upload=SimpleUploadedFile("x.png", PNG),
        description="另案证据",
    )
    refused_with(
        flow,
        lambda: record(
            flow, "fault_established", False, stage=Stage.INVESTIGATION, evidence=[foreign]
        ),
        {"evidence": [str(cases_errors.EVIDENCE_OF_OTHER_CASE)]},
    )


def test_a_finding_is_refused_once_the_case_has_left_the_investigation(unit):
    flow = flows.taian_case_at(CaseState.INVESTIGATING, unit=unit, disputed=False)
    flows.finish_investigation(flow)
    page = Case.objects.get(pk=flow.case.pk)  # loaded while investigating
    flows.submit(flow)  # meanwhile: submitted for deliberation
    with pytest.raises(ValidationError):
        fact_record(
            actor=flow.staff.investigator,
            case=page,
            stage=Stage.INVESTIGATION,
            fact_key="force_majeure",
            value=True,
            note="…",
        )


# --- claims ------------------------------------------------------------------------------


def test_claims_are_replaced_once_each_and_audited(unit):
    flow = flows.taian_case_at(CaseState.DRAFT, unit=unit)
    with new_events() as events:
        claims = case_claims_set(
            actor=flow.staff.inspector,
            case=flow.case,
            subject_officer=flow.officer,
            clause_refs=["6.5", "6.4", "6.5"],
            note="当事人书面申辩",
        )
    assert [c.clause_ref for c in claims] == ["6.5", "6.4"]
    assert list(flow.officer.clause_claims.values_list("clause_ref", "note")) == [
        ("6.5", "当事人书面申辩"),
        ("6.4", "当事人书面申辩"),
    ]
    assert details(events[0]) == {"before": ["6.4"], "after": ["6.5", "6.4"]}
    case_claims_set(
        actor=flow.staff.inspector, case=flow.case, subject_officer=flow.officer, clause_refs=[]
    )
    assert not ClauseClaim.objects.exists()


def test_a_clause_of_another_regulation_cannot_be_claimed(unit):
    flow = flows.taian_case_at(CaseState.DRAFT, unit=unit)
    refused_with(
        flow,
        lambda: case_claims_set(
            actor=flow.staff.inspector,
            case=flow.case,
            subject_officer=flow.officer,
            clause_refs=["6.4", "8.28", "6.99"],
        ),
        {"clauses": [cases_errors.CLAUSES_OUTSIDE_REGULATION % {"refs": "8.28、6.99"}]},
    )
    assert list(ClauseClaim.objects.values_list("clause_ref", flat=True)) == ["6.4"]


def test_claims_may_change_after_registration_but_not_once_investigated(unit):
    flow = flows.taian_case_at(CaseState.REGISTERED, unit=unit)
    case_claims_set(
        actor=flow.staff.inspector,
        case=flow.case,
        subject_officer=flow.officer,
        clause_refs=["6.5"],
    )
    flows.start_investigation(flow)
    refused_with(
        flow,
        lambda: case_claims_set(
            actor=flow.staff.inspector,
            case=flow.reload(),
            subject_officer=flow.officer,
            clause_refs=["6.4"],
        ),
        messages=[str(cases_errors.CLAUSES_FIXED_AFTER_INVESTIGATION)],
    )
    assert list(ClauseClaim.objects.values_list("clause_ref", flat=True)) == ["6.5"]


# --- the clause check on the facts held --------------------------------------------------


def test_missing_facts_are_exact_and_in_the_order_the_clauses_read(unit):
    flow = flows.taian_case_at(CaseState.DRAFT, unit=unit)
    case_claims_set(
        actor=flow.staff.inspector,
        case=flow.case,
        subject_officer=flow.officer,
        clause_refs=["6.6", "4:level"],
    )
    FactRecord.objects.all().delete()
    [matrix] = clause_matrix(flow.reload())
    rows = {row.ref: row.cells[Stage.INTAKE] for row in matrix.rows}
    assert rows["6.6"].missing_facts == [
        "violation_handled",
        "counterparty_noncompliance",
        "unable_to_act_in_time",
        "harm_occurred",
    ]
    assert rows["4:level"].missing_facts == [
        "clear_supervisory_level",
        "officer_at_responsible_level",
    ]
    # Claimed clauses in catalogue order, each fact once.
    assert matrix.still_to_establish[Stage.INTAKE] == [
        "clear_supervisory_level",
        "officer_at_responsible_level",
        "violation_handled",
        "counterparty_noncompliance",
        "unable_to_act_in_time",
        "harm_occurred",
        # The outcome also waits on whether a fault was committed at all.
        "fault_established",
    ]
    record(flow, "harm_occurred", True)
    record(flow, "violation_handled", True)
    assert cell(flow, "6.6").missing_facts == ["counterparty_noncompliance"]
    record(flow, "counterparty_noncompliance", False)
    assert cell(flow, "6.6").result == "not_met"
    assert cell(flow, "6.6").missing_facts == []


def test_an_unknown_exclusion_is_not_assumed_away(other_unit, catalogs):
    flow = flows.lianyungang_case_at(CaseState.DRAFT, unit=other_unit)
    case_claims_set(
        actor=flow.staff.inspector,
        case=flow.case,
        subject_officer=flow.officer,
        clause_refs=["8.1"],
    )
    FactRecord.objects.all().delete()  # not even the consequence known
    assert cell(flow, "8.1").missing_facts == [
        "per_superior_deployment",
        "tolerance_acceptance",
        "consequence",
        "intentional_violation",
    ]
    for key in ("per_superior_deployment", "tolerance_acceptance"):
        record(flow, key, True)
    record(flow, "consequence", "none", note="")
    assert (cell(flow, "8.1").result, cell(flow, "8.1").missing_facts) == (
        "undetermined",
        ["intentional_violation"],
    )
    assert assess_officer(flow.reload(), flow.officer, Stage.INTAKE).outcome == "undetermined"
    record(flow, "intentional_violation", False)
    assert cell(flow, "8.1").result == "satisfied"
    assert assess_officer(flow.reload(), flow.officer, Stage.INTAKE).outcome == "exempt"
    record(flow, "intentional_violation", True)
    assert cell(flow, "8.1").result == "excluded"
    record(flow, "intentional_violation", False)
    record(flow, "consequence", "major")  # "没有造成重大影响和损失"
    assert cell(flow, "8.1").result == "not_met"


@pytest.mark.parametrize(
    ("facts", "outcome"),
    [
        ({}, "undetermined"),
        ({"inspection_plan_followed": False}, "undetermined"),  # fault unknown
        ({"inspection_plan_followed": False, "fault_established": False}, "no_fault"),
        ({"inspection_plan_followed": False, "fault_established": True}, "liable"),
        (
            {
                "inspection_plan_followed": False,
                "fault_established": True,
                "reported_and_remedied": True,
            },
            "mitigated",
        ),
        (
            {"inspection_plan_followed": True, "fault_established": True},
            "undetermined",
        ),  # 6.4 claimed
        ({"has_supervisory_duty": False, "fault_established": True}, "exempt"),  # principle 4
    ],
)
def test_the_proposed_outcome_follows_the_contracts_order(unit, facts, outcome):
    flow = flows.taian_case_at(CaseState.DRAFT, unit=unit)
    FactRecord.objects.all().delete()
    for key, value in facts.items():
        record(flow, key, value)
    assert assess_officer(flow.reload(), flow.officer, Stage.INTAKE).outcome == outcome


def test_with_nothing_claimed_fault_established_is_still_to_be_established(unit):
    flow = flows.taian_case_at(CaseState.DRAFT, unit=unit)
    case_claims_set(
        actor=flow.staff.inspector, case=flow.case, subject_officer=flow.officer, clause_refs=[]
    )
    [matrix] = clause_matrix(flow.reload())
    assert matrix.outcomes[Stage.INTAKE] == "undetermined"
    assert matrix.still_to_establish[Stage.INTAKE] == ["fault_established"]


def test_deliberation_facts_are_the_leaderships(unit):
    flow = flows.taian_case_at(CaseState.DELIBERATION, unit=unit, disputed=False)
    with pytest.raises(PermissionDenied):
        record(flow, "force_majeure", True, stage=Stage.DELIBERATION, actor=flow.staff.investigator)
    saved = record(flow, "force_majeure", True, stage=Stage.DELIBERATION, actor=flow.staff.chair)
    assert saved.recorded_by == flow.staff.chair
    assert (
        AuditEvent.objects.filter(
            case=flow.case, event_type=AuditEventType.FACT_RECORDED, data__stage="deliberation"
        ).count()
        == 1
    )
