"""A Tai'an case through every stage by the services: a disputed inspection
case that must have the expert panel's written opinion before the leadership
decides it exempt under art. 6(4), then filing, publication and closing
(taian-2020 art. 9). The clause results are asserted at every stage."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEvent, AuditEventType
from cases import errors as cases_errors
from cases.assessment import assess_officer, clause_matrix
from cases.models import Case, ClauseClaim, FactRecord
from cases.selectors import case_detail
from cases.services.facts import fact_record, facts_confirm_carried
from cases.services.intake import IncidentInput, SubjectOfficerInput, case_claims_set, case_create
from cases.services.transitions import TransitionRefused, case_transition
from cases.workflow import CaseState, Stage, available_transitions
from deliberation import errors as deliberation_errors
from deliberation.models import Determination, Vote
from deliberation.services import (
    ProposalInput,
    determination_propose,
    meeting_convene,
    vote_close,
    vote_record,
)
from investigation.models import InvestigationReport
from investigation.services import ConclusionInput, report_save, report_sign_off
from panel.models import ExpertOpinion
from panel.services import opinion_record, panel_conclude, panel_set_up
from tests import flows
from tests.flows import TAIAN, details, new_events, nothing_changes, staff_for

pytestmark = pytest.mark.django_db

E = AuditEventType


def _row(case, ref, officer_index=0):
    matrix = clause_matrix(case_detail(case.pk))[officer_index]
    return matrix, next(row for row in matrix.rows if row.ref == ref)


def _refused(actor, case, name, message):
    with nothing_changes(case), pytest.raises(TransitionRefused) as refused:
        case_transition(actor=actor, case_id=case.pk, name=name)
    assert refused.value.message == message


def _verify_audit(capsys):
    call_command("verify_audit")
    assert "审计链完整" in capsys.readouterr().out


def test_a_disputed_taian_case_goes_through_expert_review_to_an_exemption_and_is_closed(
    unit, officers, capsys
):
    staff = staff_for(unit)
    inspector, investigator = staff.inspector, staff.investigator
    [leader1, leader2], chair = staff.leaders, staff.chair

    # --- intake ----------------------------------------------------------------
    with new_events() as events:
        case = case_create(
            actor=inspector,
            unit=unit,
            incident=TAIAN.incident,
            subject_officers=[SubjectOfficerInput(officer=officers[0], part="handler")],
        )
    assert flows.event_types(events) == [E.CASE_CREATED]
    assert (case.state, case.number, case.disputed) == (CaseState.DRAFT, None, True)
    assert case.regulation.regulation.slug == "taian-2020"
    so = case.subject_officers.get()

    with new_events() as events:
        case_claims_set(actor=inspector, case=case, subject_officer=so, clause_refs=["6.4"])
    assert flows.event_types(events) == [E.CLAIM_RECORDED]
    assert details(events[0]) == {"before": [], "after": ["6.4"]}

    # Claimed and nothing known: both elements missing, in the clause's order.
    matrix, row = _row(case, "6.4")
    assert row.claimed
    assert row.cells[Stage.INTAKE].result == "undetermined"
    assert row.cells[Stage.INTAKE].missing_facts == [
        "inspection_plan_followed",
        "cause_outside_inspection_scope",
    ]
    assert matrix.still_to_establish[Stage.INTAKE] == [
        "inspection_plan_followed",
        "cause_outside_inspection_scope",
        "fault_established",
    ]

    with new_events() as events:
        fact_record(
            actor=inspector,
            case=case,
            stage=Stage.INTAKE,
            fact_key="inspection_plan_followed",
            value=True,
        )
    assert flows.event_types(events) == [E.FACT_RECORDED]

    # The engine's first reading at intake: 6.4 undetermined, one fact missing.
    matrix, row = _row(case, "6.4")
    assert row.cells[Stage.INTAKE].result == "undetermined"
    assert row.cells[Stage.INTAKE].missing_facts == ["cause_outside_inspection_scope"]
    assert matrix.still_to_establish[Stage.INTAKE] == [
        "cause_outside_inspection_scope",
        "fault_established",
    ]
    assert matrix.outcomes[Stage.INTAKE] == "undetermined"
    intake = assess_officer(case_detail(case.pk), so, Stage.INTAKE)
    assert intake.outcome == "undetermined"
    assert {r.ref: r.result for r in intake.clauses}["6.4"] == "undetermined"
    # Nothing known yet at the later stages.
    assert matrix.outcomes[Stage.INVESTIGATION] == "undetermined"
    assert row.cells[Stage.INVESTIGATION].missing_facts == [
        "inspection_plan_followed",
        "cause_outside_inspection_scope",
    ]

    with new_events() as events:
        case = case_transition(actor=inspector, case_id=case.pk, name="register")
    # The move's own event first (registering also requests the intake form).
    assert flows.event_types(events)[0] == E.CASE_TRANSITIONED
    assert events[0].data["transition"] == "register"
    assert case.state == CaseState.REGISTERED
    assert case.number == f"泰市监〔{timezone.localdate().year}〕1号"

    # --- investigation -----------------------------------------------------------
    with new_events() as events:
        case = case_transition(actor=investigator, case_id=case.pk, name="start_investigation")
    # The intake's facts are carried into the investigation.
    assert flows.event_types(events) == [E.CASE_TRANSITIONED, E.FACT_RECORDED]
    assert events[1].data["action"] == "carry_forward"
    assert case.state == CaseState.INVESTIGATING
    assert case.lead_investigator == investigator

    case = case_detail(case.pk)
    for key, value in TAIAN.investigation_facts.items():
        with new_events() as events:
            fact_record(
                actor=investigator,
                case=case,
                stage=Stage.INVESTIGATION,
                fact_key=key,
                value=value,
                note="检查记录表、询问笔录",
            )
        assert flows.event_types(events) == [E.FACT_RECORDED]
        assert events[0].data["after"] == value

    matrix, row = _row(case, "6.4")
    assert row.cells[Stage.INVESTIGATION].result == "satisfied"
    assert row.cells[Stage.INVESTIGATION].missing_facts == []
    assert row.cells[Stage.INTAKE].result == "undetermined"  # intake is kept as it was
    # Intake never established 6.4's facts: not a difference between the stages.
    assert not row.diverges
    assert matrix.outcomes[Stage.INVESTIGATION] == "exempt"
    assert matrix.still_to_establish[Stage.INVESTIGATION] == []
    assert assess_officer(case_detail(case.pk), so, Stage.INVESTIGATION).outcome == "exempt"

    # Not before the report is signed.
    _refused(
        investigator,
        case,
        "submit_for_deliberation",
        str(cases_errors.GUARD_REPORT_NOT_SIGNED),
    )

    with new_events() as events:
        report = report_save(
            actor=investigator,
            case=case,
            findings_summary="经查，已按计划检查……",
            conclusion="符合第六条第（四）项",
            conclusions=[ConclusionInput(so, "6.4", "satisfied", "按计划检查")],
            base_version=None,
        )
    assert flows.event_types(events) == [E.REPORT_SAVED]
    assert report.version == 1
    with new_events() as events:
        report_sign_off(actor=investigator, case=case, version=1)
    assert flows.event_types(events) == [E.REPORT_SIGNED_OFF]

    # Disputed: art. 9 requires the panel's written opinion before deliberation.
    _refused(
        investigator,
        case,
        "submit_for_deliberation",
        cases_errors.GUARD_DISPUTE_NEEDS_PANEL
        % {"regulation": "泰安市市场监督管理系统依法履职尽责免责办法（试行）"},
    )
    available = {t.name: t for t in available_transitions(case_detail(case.pk), investigator)}
    assert not available["submit_for_deliberation"].allowed
    assert available["request_expert_review"].allowed

    with new_events() as events:
        case = case_transition(actor=investigator, case_id=case.pk, name="request_expert_review")
    assert flows.event_types(events) == [E.CASE_TRANSITIONED]
    assert (case.state, case.expert_review_requested) == (CaseState.EXPERT_REVIEW, True)

    # --- expert review -------------------------------------------------------------
    _refused(
        investigator,
        case,
        "submit_for_deliberation",
        str(cases_errors.GUARD_PANEL_NOT_CONCLUDED),
    )

    with new_events() as events:
        panel = panel_set_up(
            actor=inspector,
            case=case,
            members=staff.experts,
            question="当事执法人员是否已依法履行监督检查职责？",
            disputed=[(so, "6.4")],
        )
    assert flows.event_types(events) == [E.CASE_UPDATED]
    disputed = panel.disputed.get()
    for expert, position in zip(staff.experts, ["agree", "agree", "disagree"], strict=True):
        with new_events() as events:
            opinion_record(
                actor=expert, disputed_clause=disputed, position=position, reasoning="理由……"
            )
        assert flows.event_types(events) == [E.EXPERT_OPINION_RECORDED]
    _refused(
        investigator,
        case,
        "submit_for_deliberation",
        str(cases_errors.GUARD_PANEL_NOT_CONCLUDED),
    )
    with new_events() as events:
        panel_conclude(
            actor=staff.experts[0],
            case=case,
            conclusion="多数意见：已依法履职。",
            dissent="陈述：检查记录不完整。",
        )
    assert flows.event_types(events) == [E.PANEL_CONCLUDED]
    panel.refresh_from_db()
    assert panel.dissent == "陈述：检查记录不完整。"
    assert ExpertOpinion.objects.filter(disputed_clause=disputed).count() == 3

    case = case_transition(actor=investigator, case_id=case.pk, name="submit_for_deliberation")
    assert case.state == CaseState.DELIBERATION
    # The report and the panel's opinion are final: both are rendered now.
    assert {"investigation_report", "expert_opinion"} <= {d.kind for d in case.documents.all()}

    # --- deliberation ------------------------------------------------------------------
    matrix, row = _row(case, "6.4")
    # The investigation's facts are carried: the deliberation starts from them
    # and confirms them at once, nothing re-entered.
    assert matrix.outcomes[Stage.DELIBERATION] == "exempt"
    case = case_detail(case.pk)
    assert facts_confirm_carried(actor=leader1, case=case, stage=Stage.DELIBERATION) == len(
        TAIAN.deliberation_facts
    )
    matrix, row = _row(case, "6.4")
    assert {stage: cell.result for stage, cell in row.cells.items()} == {
        Stage.INTAKE: "undetermined",
        Stage.INVESTIGATION: "satisfied",
        Stage.DELIBERATION: "satisfied",
    }
    assert matrix.outcomes == {
        Stage.INTAKE: "undetermined",
        Stage.INVESTIGATION: "exempt",
        Stage.DELIBERATION: "exempt",
    }
    assert matrix.flags[Stage.DELIBERATION] == []  # taian-2020 has no art. 7 rule

    with new_events() as events:
        meeting = meeting_convene(
            actor=chair,
            case=case,
            held_on=datetime.date(2026, 6, 20),
            place="局党组会议室",
            members=[leader1, leader2, chair],
            chair=chair,
        )
    assert flows.event_types(events) == [E.MEETING_SCHEDULED]
    with new_events() as events:
        determination = determination_propose(
            actor=inspector,
            meeting=meeting,
            proposal=ProposalInput(so, "exempt", ["6.4"], TAIAN.reasons),
        )
    assert flows.event_types(events) == [E.DETERMINATION_RECORDED]
    assert determination.engine_outcome == "exempt"
    assert not determination.departs_from_proposal

    for member, position in [(leader1, "agree"), (leader2, "disagree"), (chair, "agree")]:
        with new_events() as events:
            vote_record(
                actor=member, determination=determination, position=position, reasoning="……"
            )
        assert flows.event_types(events) == [E.VOTE_RECORDED]

    with new_events() as events:
        vote_close(actor=chair, meeting=meeting)
    # Deciding requests the minutes, the decision, the publication notice of
    # the scope voted on and the evidence catalogue.
    assert flows.event_types(events) == [
        E.VOTE_CLOSED,
        E.CASE_TRANSITIONED,
        E.DOCUMENT_REQUESTED,
        E.DOCUMENT_REQUESTED,
        E.DOCUMENT_REQUESTED,
        E.DOCUMENT_REQUESTED,
    ]
    assert [e.data["kind"] for e in events if e.event_type == E.DOCUMENT_REQUESTED] == [
        "minutes",
        "decision",
        "publication_notice",
        "evidence_catalogue",
    ]
    determination.refresh_from_db()
    assert determination.status == Determination.Status.ADOPTED
    assert determination.tally == {
        "entitled": 3,
        "present": 3,
        "agree": 2,
        "disagree": 1,
        "abstain": 0,
        "quorum_met": True,
        "passed": True,
    }
    case = case_detail(case.pk)
    assert case.state == CaseState.DECIDED

    # --- filing, publication, closing ------------------------------------------------
    available = {t.name: t for t in available_transitions(case, inspector)}
    assert available["file"].allowed
    assert available["publish"].reason == str(cases_errors.GUARD_FILE_BEFORE_PUBLISHING)
    assert available["close"].reason == str(cases_errors.GUARD_FILE_AND_PUBLISH_BEFORE_CLOSING)

    _refused(inspector, case, "close", str(cases_errors.GUARD_FILE_AND_PUBLISH_BEFORE_CLOSING))
    _refused(inspector, case, "publish", str(cases_errors.GUARD_FILE_BEFORE_PUBLISHING))
    case = case_transition(actor=inspector, case_id=case.pk, name="file")
    assert case.state == CaseState.FILED
    _refused(inspector, case, "close", str(cases_errors.GUARD_FILE_AND_PUBLISH_BEFORE_CLOSING))
    case = case_transition(actor=inspector, case_id=case.pk, name="publish")
    assert case.state == CaseState.PUBLISHED
    case = case_transition(actor=inspector, case_id=case.pk, name="close")
    assert (case.state, case.deadline_at) == (CaseState.CLOSED, None)

    # The decided case keeps its matrix and its determination.
    matrix, row = _row(case, "6.4")
    assert matrix.outcomes[Stage.DELIBERATION] == "exempt"
    assert Determination.objects.get(case=case).outcome == "exempt"
    assert list(
        AuditEvent.objects.filter(case=case, event_type=E.CASE_TRANSITIONED).values_list(
            "data__transition", flat=True
        )
    ) == [
        "register",
        "start_investigation",
        "request_expert_review",
        "submit_for_deliberation",
        "decide",
        "file",
        "publish",
        "close",
    ]
    _verify_audit(capsys)


def test_an_undisputed_taian_case_goes_straight_to_deliberation(unit, capsys):
    flow = flows.taian_case_at(CaseState.INVESTIGATING, unit=unit, disputed=False)
    flows.finish_investigation(flow)
    flows.submit(flow)
    assert flow.state == CaseState.DELIBERATION
    assert not flow.case.expert_review_requested
    flows.decide(flow)
    assert flow.state == CaseState.DECIDED
    _verify_audit(capsys)


def test_the_builders_reach_every_stage_of_the_taian_flow(unit, capsys):
    flow = flows.taian_case_at(CaseState.CLOSED, unit=unit, officers=2)
    assert flow.state == CaseState.CLOSED
    assert [d.status for d in Determination.objects.filter(case=flow.case)] == ["adopted"] * 2
    for matrix in clause_matrix(flow.reload()):
        assert matrix.outcomes == {
            Stage.INTAKE: "undetermined",
            Stage.INVESTIGATION: "exempt",
            Stage.DELIBERATION: "exempt",
        }
    _verify_audit(capsys)


def test_a_taian_case_cannot_take_an_article_12_measure(unit):
    flow = flows.taian_case_at(CaseState.DELIBERATION, unit=unit, disputed=False)
    facts = {
        "inspection_plan_followed": False,  # the claimed 6.4 fails
        "fault_established": True,
        "admitted_and_cooperated": True,
    }
    flows.record_facts(flow, Stage.DELIBERATION, facts, flow.staff.leaders[0])
    assert assess_officer(flow.case, flow.officer, Stage.DELIBERATION).outcome == "mitigated"
    flows.convene(flow)

    with nothing_changes(flow.case), pytest.raises(ValidationError) as refused:
        flows.propose(
            flow, outcome="mitigated", cited_clauses=["7.2"], measure="criticism_education"
        )
    assert refused.value.message_dict == {
        "measure": [str(deliberation_errors.MEASURE_NOT_IN_REGULATION)]
    }
    assert not Determination.objects.exists()

    # A mitigated determination without an art. 12 measure is fine.
    determination = flows.propose(flow, outcome="mitigated", cited_clauses=["7.2"], measure="")
    assert (determination.outcome, determination.measure) == ("mitigated", "")


def test_taian_flags_no_fault_without_intent_there_is_no_article_7(unit):
    flow = flows.taian_case_at(CaseState.INVESTIGATING, unit=unit)
    facts = {"fault_established": True, "intentional_violation": False, "gross_negligence": False}
    flows.record_facts(flow, Stage.INVESTIGATION, facts, flow.staff.investigator)
    [matrix] = clause_matrix(flow.case)
    assert matrix.flags[Stage.INVESTIGATION] == []
    assert matrix.outcomes[Stage.INVESTIGATION] == "undetermined"  # 6.4 claimed, undetermined


def test_a_taian_transfer_to_the_discipline_organs_is_refused(unit):
    flow = flows.taian_case_at(CaseState.DELIBERATION, unit=unit, disputed=False)
    flows.deliberation_facts(flow)
    flows.convene(flow)
    with nothing_changes(flow.case), pytest.raises(ValidationError) as refused:
        flows.propose(
            flow, outcome="transferred", cited_clauses=[], measure="", departure_reason="移送"
        )
    assert refused.value.message_dict == {
        "outcome": [str(deliberation_errors.NO_TRANSFER_PROCEDURE)]
    }


# --- every action writes its audit event in its own transaction ---------------------


def _fails(*args, **kwargs):
    raise RuntimeError("audit store unavailable")


def test_a_failing_audit_write_rolls_back_the_fact(unit, monkeypatch):
    flow = flows.taian_case_at(CaseState.DRAFT, unit=unit)
    monkeypatch.setattr("cases.services.facts.audit_record", _fails)
    before = FactRecord.objects.count()
    with pytest.raises(RuntimeError):
        fact_record(
            actor=flow.staff.inspector,
            case=flow.case,
            stage=Stage.INTAKE,
            fact_key="cause_outside_inspection_scope",
            value=True,
        )
    assert FactRecord.objects.count() == before


def test_a_failing_audit_write_rolls_back_the_claims(unit, monkeypatch):
    flow = flows.taian_case_at(CaseState.DRAFT, unit=unit)
    monkeypatch.setattr("cases.services.intake.audit_record", _fails)
    with pytest.raises(RuntimeError):
        case_claims_set(
            actor=flow.staff.inspector,
            case=flow.case,
            subject_officer=flow.officer,
            clause_refs=["6.5"],
        )
    assert list(ClauseClaim.objects.values_list("clause_ref", flat=True)) == ["6.4"]


def test_a_failing_audit_write_rolls_back_the_move_and_the_number(unit, monkeypatch):
    flow = flows.taian_case_at(CaseState.DRAFT, unit=unit)
    monkeypatch.setattr("cases.services.transitions.audit_record", _fails)
    with pytest.raises(RuntimeError):
        case_transition(actor=flow.staff.inspector, case_id=flow.case.pk, name="register")
    case = Case.objects.get(pk=flow.case.pk)
    assert (case.state, case.number) == (CaseState.DRAFT, None)


def test_a_failing_audit_write_rolls_back_the_report(unit, monkeypatch):
    flow = flows.taian_case_at(CaseState.INVESTIGATING, unit=unit)
    monkeypatch.setattr("investigation.services.audit_record", _fails)
    with pytest.raises(RuntimeError):
        flows.write_report(flow)
    assert not InvestigationReport.objects.exists()


def test_a_failing_audit_write_rolls_back_the_vote(unit, monkeypatch):
    flow = flows.taian_case_at(CaseState.DELIBERATION, unit=unit, disputed=False)
    flows.deliberation_facts(flow)
    flows.convene(flow)
    determination = flows.propose(flow)
    monkeypatch.setattr("deliberation.services.audit_record", _fails)
    with pytest.raises(RuntimeError):
        vote_record(
            actor=flow.staff.leaders[0],
            determination=determination,
            position="agree",
            reasoning="同意",
        )
    assert not Vote.objects.exists()


def test_a_failing_audit_write_rolls_back_the_panel_opinion(unit, monkeypatch):
    flow = flows.taian_case_at(CaseState.EXPERT_REVIEW, unit=unit)
    panel = flows.form_panel(flow)
    monkeypatch.setattr("panel.services.audit_record", _fails)
    with pytest.raises(RuntimeError):
        opinion_record(
            actor=flow.staff.experts[0],
            disputed_clause=panel.disputed.get(),
            position="agree",
            reasoning="同意",
        )
    assert not ExpertOpinion.objects.exists()


def test_the_matrix_shows_the_report_conclusion_and_the_panel_positions(unit):
    flow = flows.taian_case_at(CaseState.DELIBERATION, unit=unit)
    [matrix] = clause_matrix(flow.reload())
    row = next(row for row in matrix.rows if row.ref == "6.4")
    assert row.report_conclusion == "satisfied"
    assert sorted(row.panel_positions) == ["agree", "agree", "disagree"]


def test_conduct_on_the_day_taian_took_effect_gets_the_taian_procedure(unit, officers):
    staff = staff_for(unit)
    incident = IncidentInput(**{**TAIAN.incident.__dict__, "date": datetime.date(2020, 4, 24)})
    case = case_create(
        actor=staff.inspector,
        unit=unit,
        incident=incident,
        subject_officers=[SubjectOfficerInput(officer=officers[0], part="handler")],
    )
    assert case.procedure["expert_panel_required_when_disputed"] is True
    assert case.procedure["close_requires_filing_and_publication"] is True
