"""A Lianyungang case through every stage by the services: not disputed, so
straight from the investigation to the leadership; a minor fault established
without intent or gross negligence (flagged under art. 7), mitigated under
art. 9(2) with criticism and education (art. 12); no filing or publication
(lianyungang-2022 requires neither), closed from decided."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEvent, AuditEventType
from cases import errors as cases_errors
from cases.assessment import assess_officer, clause_matrix
from cases.selectors import case_detail
from cases.services.facts import fact_record, facts_confirm_carried
from cases.services.intake import SubjectOfficerInput, case_claims_set, case_create
from cases.services.transitions import TransitionRefused, case_transition
from cases.workflow import CaseState, Stage, available_transitions
from deliberation import errors as deliberation_errors
from deliberation.models import Determination
from deliberation.services import (
    MEASURES_NEEDING_CONTENT,
    ProposalInput,
    determination_propose,
    meeting_convene,
    vote_close,
    vote_record,
)
from investigation.services import ConclusionInput, report_save, report_sign_off
from tests import flows
from tests.factories import OfficerFactory
from tests.flows import LIANYUNGANG, new_events, nothing_changes, staff_for

pytestmark = pytest.mark.django_db

E = AuditEventType
ART_7 = "fault_without_intent_or_gross_negligence"
ART_12 = [
    "talk_reminder",
    "criticism_education",
    "ordered_self_examination",
    "admonishment",
    "removal_from_enforcement_post",
    "revocation_of_enforcement_qualification",
]


@pytest.fixture
def lyg(other_unit, catalogs):
    """The Lianyungang bureau (连市监) with its catalogue loaded."""
    return other_unit


def _row(case, ref):
    matrix = clause_matrix(case_detail(case.pk))[0]
    return matrix, next(row for row in matrix.rows if row.ref == ref)


def _refused(actor, case, name, message):
    with nothing_changes(case), pytest.raises(TransitionRefused) as refused:
        case_transition(actor=actor, case_id=case.pk, name=name)
    assert refused.value.message == message


def test_a_lianyungang_case_is_mitigated_with_criticism_and_education_and_closed(lyg, capsys):
    staff = staff_for(lyg)
    inspector, investigator = staff.inspector, staff.investigator
    [leader1, leader2], chair = staff.leaders, staff.chair
    officer = OfficerFactory(unit=lyg, name="张执法")

    # --- intake ----------------------------------------------------------------
    with new_events() as events:
        case = case_create(
            actor=inspector,
            unit=lyg,
            incident=LIANYUNGANG.incident,
            subject_officers=[SubjectOfficerInput(officer=officer, part="handler")],
        )
    assert flows.event_types(events) == [E.CASE_CREATED]
    assert case.regulation.regulation.slug == "lianyungang-2022"
    assert not case.disputed
    so = case.subject_officers.get()
    case_claims_set(actor=inspector, case=case, subject_officer=so, clause_refs=["9.2"])
    fact_record(
        actor=inspector, case=case, stage=Stage.INTAKE, fact_key="consequence", value="minor"
    )

    matrix, row = _row(case, "9.2")
    assert row.claimed and row.kind == "mitigation"
    assert row.cells[Stage.INTAKE].result == "undetermined"
    assert row.cells[Stage.INTAKE].missing_facts == ["admitted_and_cooperated"]
    assert matrix.still_to_establish[Stage.INTAKE] == [
        "admitted_and_cooperated",
        "fault_established",
    ]
    assert matrix.outcomes[Stage.INTAKE] == "undetermined"
    assert matrix.flags[Stage.INTAKE] == []

    case = case_transition(actor=inspector, case_id=case.pk, name="register")
    assert case.number == f"连市监〔{timezone.localdate().year}〕1号"

    # --- investigation -------------------------------------------------------------
    case = case_transition(actor=investigator, case_id=case.pk, name="start_investigation")
    case = case_detail(case.pk)
    for key, value in LIANYUNGANG.investigation_facts.items():
        with new_events() as events:
            fact_record(
                actor=investigator,
                case=case,
                stage=Stage.INVESTIGATION,
                fact_key=key,
                value=value,
                note="询问笔录",
            )
        assert flows.event_types(events) == [E.FACT_RECORDED]
    matrix, row = _row(case, "9.2")
    assert row.cells[Stage.INVESTIGATION].result == "satisfied"
    assert matrix.outcomes[Stage.INVESTIGATION] == "mitigated"
    # Art. 7: a fault needs intent or gross negligence; both found false.
    assert matrix.flags[Stage.INVESTIGATION] == [ART_7]
    assessment = assess_officer(case_detail(case.pk), so, Stage.INVESTIGATION)
    assert (assessment.outcome, assessment.flags) == ("mitigated", [ART_7])
    # No exemption holds on these facts.
    assert not [
        r.ref for r in assessment.clauses if r.result == "satisfied" and r.kind != "mitigation"
    ]

    report = report_save(
        actor=investigator,
        case=case,
        findings_summary="经查，存在执法过错，情节轻微……",
        conclusion="符合第九条第（二）项",
        base_version=None,
        conclusions=[ConclusionInput(so, "9.2", "satisfied", "主动承认错误")],
    )
    report_sign_off(actor=investigator, case=case, version=report.version)

    # Not disputed: no expert review, straight to deliberation.
    with new_events() as events:
        case = case_transition(actor=investigator, case_id=case.pk, name="submit_for_deliberation")
    # The signed-off report is final: it is rendered now. No panel, no opinion.
    # The investigation's facts are carried into the deliberation.
    assert flows.event_types(events) == [
        E.CASE_TRANSITIONED,
        E.FACT_RECORDED,
        E.DOCUMENT_REQUESTED,
    ]
    assert [d.kind for d in case.documents.all()] == ["investigation_report", "intake_form"]
    assert events[0].data["before"] == CaseState.INVESTIGATING
    assert (case.state, case.expert_review_requested) == (CaseState.DELIBERATION, False)

    # --- deliberation -----------------------------------------------------------------
    case = case_detail(case.pk)
    assert facts_confirm_carried(actor=leader2, case=case, stage=Stage.DELIBERATION) == len(
        LIANYUNGANG.deliberation_facts
    )
    matrix, row = _row(case, "9.2")
    assert {stage: cell.result for stage, cell in row.cells.items()} == {
        Stage.INTAKE: "undetermined",
        Stage.INVESTIGATION: "satisfied",
        Stage.DELIBERATION: "satisfied",
    }
    assert matrix.outcomes == {
        Stage.INTAKE: "undetermined",
        Stage.INVESTIGATION: "mitigated",
        Stage.DELIBERATION: "mitigated",
    }
    assert matrix.flags[Stage.DELIBERATION] == [ART_7]

    meeting = meeting_convene(
        actor=chair,
        case=case,
        held_on=datetime.date(2026, 6, 20),
        place="局党组会议室",
        members=[leader1, leader2, chair],
        chair=chair,
    )
    with new_events() as events:
        determination = determination_propose(
            actor=inspector,
            meeting=meeting,
            proposal=ProposalInput(
                so, "mitigated", ["9.2"], LIANYUNGANG.reasons, measure="criticism_education"
            ),
        )
    assert events[0].data["measure"] == "criticism_education"
    assert (determination.engine_outcome, determination.departs_from_proposal) == (
        "mitigated",
        False,
    )
    for member in (leader1, leader2, chair):
        vote_record(actor=member, determination=determination, position="agree", reasoning="同意")
    with new_events() as events:
        vote_close(actor=chair, meeting=meeting)
    # Deciding requests the minutes, the decision and the evidence catalogue;
    # no publication notice: a mitigated outcome is not published.
    assert flows.event_types(events) == [
        E.VOTE_CLOSED,
        E.CASE_TRANSITIONED,
        E.DOCUMENT_REQUESTED,
        E.DOCUMENT_REQUESTED,
        E.DOCUMENT_REQUESTED,
    ]
    assert {e.data["kind"] for e in events if e.event_type == E.DOCUMENT_REQUESTED} == {
        "minutes",
        "decision",
        "evidence_catalogue",
    }
    determination.refresh_from_db()
    assert (determination.status, determination.outcome, determination.measure) == (
        "adopted",
        "mitigated",
        "criticism_education",
    )
    assert determination.get_measure_display() == "批评教育"
    case = case_detail(case.pk)
    assert case.state == CaseState.DECIDED

    # --- no filing, no publication; closed from decided ------------------------------
    available = {t.name: t for t in available_transitions(case, inspector)}
    assert available["file"].reason == str(cases_errors.GUARD_NOTHING_TO_FILE)
    assert available["publish"].reason == str(cases_errors.GUARD_NOTHING_TO_PUBLISH)
    assert available["close"].allowed
    _refused(inspector, case, "file", str(cases_errors.GUARD_NOTHING_TO_FILE))
    _refused(inspector, case, "publish", str(cases_errors.GUARD_NOTHING_TO_PUBLISH))
    case = case_transition(actor=inspector, case_id=case.pk, name="close")
    assert case.state == CaseState.CLOSED
    assert list(
        AuditEvent.objects.filter(case=case, event_type=E.CASE_TRANSITIONED).values_list(
            "data__transition", flat=True
        )
    ) == ["register", "start_investigation", "submit_for_deliberation", "decide", "close"]

    call_command("verify_audit")
    assert "审计链完整" in capsys.readouterr().out


def test_the_builders_reach_every_stage_of_the_lianyungang_flow(lyg, capsys):
    flow = flows.lianyungang_case_at(CaseState.CLOSED, unit=lyg, officers=2)
    assert flow.state == CaseState.CLOSED
    assert (
        list(Determination.objects.values_list("measure", flat=True)) == ["criticism_education"] * 2
    )
    call_command("verify_audit")
    assert "审计链完整" in capsys.readouterr().out


def test_a_disputed_lianyungang_case_still_goes_straight_to_deliberation(lyg):
    """Art. 14 makes the experts' opinion optional: no panel is required."""
    flow = flows.lianyungang_case_at(CaseState.INVESTIGATING, unit=lyg, disputed=True)
    flows.finish_investigation(flow)
    flows.submit(flow)
    assert flow.state == CaseState.DELIBERATION


def test_a_lianyungang_expert_review_still_needs_the_panels_opinion_to_move_on(lyg):
    flow = flows.lianyungang_case_at(CaseState.EXPERT_REVIEW, unit=lyg)
    _refused(
        flow.staff.investigator,
        flow.case,
        "submit_for_deliberation",
        str(cases_errors.GUARD_PANEL_NOT_CONCLUDED),
    )
    flows.form_panel(flow)
    flows.give_opinions(flow, ["agree"] * 3)
    flows.conclude_panel(flow)
    flows.submit(flow)
    assert flow.state == CaseState.DELIBERATION


@pytest.mark.parametrize(
    ("facts", "flags"),
    [
        (
            {"fault_established": True, "intentional_violation": False, "gross_negligence": False},
            [ART_7],
        ),
        ({"fault_established": True, "intentional_violation": True, "gross_negligence": False}, []),
        ({"fault_established": True, "intentional_violation": False, "gross_negligence": True}, []),
        ({"fault_established": True, "intentional_violation": False}, []),  # negligence unknown
        (
            {"fault_established": False, "intentional_violation": False, "gross_negligence": False},
            [],
        ),
    ],
    ids=["flagged", "intent", "gross-negligence", "negligence-unknown", "no-fault"],
)
def test_the_article_7_flag_appears_only_for_a_fault_without_intent_or_gross_negligence(
    lyg, facts, flags
):
    flow = flows.lianyungang_case_at(CaseState.INVESTIGATING, unit=lyg)
    flows.record_facts(flow, Stage.INVESTIGATION, facts, flow.staff.investigator)
    [matrix] = clause_matrix(flow.case)
    assert matrix.flags[Stage.INVESTIGATION] == flags
    assert assess_officer(flow.case, flow.officer, Stage.INVESTIGATION).flags == flags


@pytest.mark.parametrize("measure", ART_12)
def test_every_article_12_measure_may_go_with_a_mitigated_determination(lyg, measure):
    flow = flows.lianyungang_case_at(CaseState.DELIBERATION, unit=lyg)
    flows.deliberation_facts(flow)
    flows.convene(flow)
    # The heavier measures say nothing definite until their content is written.
    content = "调离至综合科，期限一年" if measure in MEASURES_NEEDING_CONTENT else ""
    determination = flows.propose(flow, measure=measure, sanction=content)
    assert determination.measure == measure


@pytest.mark.parametrize("outcome", ["exempt", "no_fault", "transferred"])
def test_a_measure_is_refused_with_an_outcome_that_imposes_nothing(lyg, outcome):
    flow = flows.lianyungang_case_at(CaseState.DELIBERATION, unit=lyg)
    flows.deliberation_facts(flow)
    flows.convene(flow)
    cited = {"exempt": ["8.3"], "no_fault": [], "transferred": []}[outcome]
    with nothing_changes(flow.case), pytest.raises(ValidationError) as refused:
        flows.propose(
            flow,
            outcome=outcome,
            cited_clauses=cited,
            measure="talk_reminder",
            departure_reason="……",
        )
    assert refused.value.message_dict == {
        "measure": [str(deliberation_errors.MEASURE_NOT_WITH_OUTCOME)]
    }


def test_a_lianyungang_case_may_be_transferred_to_the_discipline_organs(lyg):
    flow = flows.lianyungang_case_at(CaseState.DELIBERATION, unit=lyg)
    flows.deliberation_facts(flow)
    flows.convene(flow)
    with pytest.raises(ValidationError) as refused:
        flows.propose(flow, outcome="transferred", cited_clauses=[], measure="")
    assert refused.value.message_dict == {
        "departure_reason": [
            deliberation_errors.DEPARTS_FROM_PROPOSAL % {"proposal": "从轻或者减轻追究责任"}
            + deliberation_errors.DEPARTURE_REASON_MISSING
        ]
    }
    determination = flows.propose(
        flow,
        outcome="transferred",
        cited_clauses=[],
        measure="",
        departure_reason="涉嫌违反党纪，依照第十三条移送。",
    )
    assert determination.departs_from_proposal
    assert determination.departure_reason == "涉嫌违反党纪，依照第十三条移送。"


def test_an_exempt_lianyungang_case_may_close_without_filing(lyg):
    flow = flows.lianyungang_case_at(CaseState.DELIBERATION, unit=lyg)
    facts = {"formal_review_only": True, "formal_review_duty_fulfilled": True}
    flows.record_facts(flow, Stage.DELIBERATION, facts, flow.staff.leaders[0])
    assert assess_officer(flow.case, flow.officer, Stage.DELIBERATION).outcome == "exempt"
    flows.convene(flow)
    flows.vote_all(
        flow,
        flows.propose(
            flow, outcome="exempt", cited_clauses=["8.3"], measure="", reasons="第八条第（三）项"
        ),
    )
    vote_close(actor=flow.staff.chair, meeting=flow.meeting)
    assert flow.state == CaseState.DECIDED
    # Filing is possible (a no-liability decision) but not required before closing.
    available = {t.name: t for t in available_transitions(flow.reload(), flow.staff.inspector)}
    assert available["file"].allowed and available["close"].allowed
    # Nor must publication wait for filing.
    assert available["publish"].allowed
    flows.move(flow, "close", flow.staff.inspector)
    assert flow.state == CaseState.CLOSED
