"""Every guard of cases/workflow.py and every refused move: the refusal says
why in Chinese, and nothing changes (neither the state nor the audit trail)."""

import pytest

from audit.models import AuditEvent, AuditEventType
from cases import errors as cases_errors
from cases.models import Case, SubjectOfficer
from cases.services.transitions import TransitionRefused, case_transition
from cases.workflow import (
    CaseState,
    available_transitions,
    guard_close,
    guard_decide,
    guard_deliberation,
    guard_file,
    guard_publish,
    guard_register,
    guard_report_submitted,
)
from deliberation.models import Determination
from deliberation.services import vote_close
from tests import flows
from tests.conftest import built_once_per_module, for_one_test
from tests.flows import details, nothing_changes

pytestmark = pytest.mark.django_db

NO_SIGNED_REPORT = str(cases_errors.GUARD_REPORT_NOT_SIGNED)
NO_PANEL_OPINION = str(cases_errors.GUARD_PANEL_NOT_CONCLUDED)
TAIAN_DISPUTED = cases_errors.GUARD_DISPUTE_NEEDS_PANEL % {
    "regulation": "泰安市市场监督管理系统依法履职尽责免责办法（试行）"
}
NOT_ALL_ADOPTED = str(cases_errors.GUARD_DETERMINATIONS_PENDING)
NO_FILING_NEEDED = str(cases_errors.GUARD_NOTHING_TO_FILE)
NO_PUBLICATION_NEEDED = str(cases_errors.GUARD_NOTHING_TO_PUBLISH)
FILE_BEFORE_PUBLISHING = str(cases_errors.GUARD_FILE_BEFORE_PUBLISHING)
FILE_AND_PUBLISH_BEFORE_CLOSING = str(cases_errors.GUARD_FILE_AND_PUBLISH_BEFORE_CLOSING)


def refused(flow, name, message, actor=None, reason=""):
    """The move is refused with the message and nothing changes."""
    actor = actor or flow.staff.inspector
    with nothing_changes(flow.case), pytest.raises(TransitionRefused) as error:
        case_transition(actor=actor, case_id=flow.case.pk, name=name, reason=reason)
    assert error.value.message == message
    assert str(error.value) == message


def reason_shown(flow, name, actor):
    """The reason available_transitions gives for the move (None: allowed)."""
    [move] = [t for t in available_transitions(flow.reload(), actor) if t.name == name]
    return move.reason


# The Tai'an flows several tests start from, each in a unit of its own, by
# (state, disputed); a state only one test starts from is built by that test.
SHARED = {
    True: (
        CaseState.DRAFT,
        CaseState.REGISTERED,
        CaseState.INVESTIGATING,
        CaseState.EXPERT_REVIEW,
        CaseState.DECIDED,
    ),
    False: (
        CaseState.DRAFT,
        CaseState.REGISTERED,
        CaseState.INVESTIGATING,
        CaseState.DELIBERATION,
        CaseState.CLOSED,
    ),
}


def _flows():
    return {
        (state, disputed): flows.taian_case_at(state, disputed=disputed)
        for disputed, states in SHARED.items()
        for state in states
    }


_flows_built = built_once_per_module(_flows)


@pytest.fixture
def case_at(_flows_built, settings):
    """A Tai'an flow at a state (disputed unless disputed=False): the test's
    copy of the module's, of that flow alone, or one built for the test."""

    def at(state, disputed=True):
        if (state, disputed) not in _flows_built[0]:
            return flows.taian_case_at(state, disputed=disputed)
        return for_one_test(_flows_built, settings, (state, disputed))

    return at


# --- register ----------------------------------------------------------------------


def test_register_without_officers_is_refused(case_at):
    flow = case_at(CaseState.DRAFT)
    SubjectOfficer.objects.filter(case=flow.case).delete()
    assert guard_register(flow.reload()) == str(cases_errors.GUARD_NO_SUBJECT_OFFICERS)
    refused(flow, "register", str(cases_errors.GUARD_NO_SUBJECT_OFFICERS))
    assert Case.objects.get(pk=flow.case.pk).number is None


def test_register_without_an_allegation_is_refused(case_at):
    flow = case_at(CaseState.DRAFT)
    Case.objects.filter(pk=flow.case.pk).update(allegation="  \n ")
    assert reason_shown(flow, "register", flow.staff.inspector) == str(
        cases_errors.GUARD_NO_ALLEGATION
    )
    refused(flow, "register", str(cases_errors.GUARD_NO_ALLEGATION))
    assert Case.objects.get(pk=flow.case.pk).number is None


def test_register_with_officers_and_allegation_numbers_the_case(case_at):
    flow = case_at(CaseState.DRAFT)
    assert guard_register(flow.case) is None
    flows.register(flow)
    assert flow.state == CaseState.REGISTERED
    assert flow.case.sequence == 1


# --- investigation → next stage --------------------------------------------------------


@pytest.mark.parametrize("name", ["submit_for_deliberation", "request_expert_review"])
def test_leaving_the_investigation_without_a_report_is_refused(case_at, name):
    flow = case_at(CaseState.INVESTIGATING, disputed=False)
    flows.find_facts(flow)
    refused(flow, name, NO_SIGNED_REPORT, actor=flow.staff.investigator)


@pytest.mark.parametrize("name", ["submit_for_deliberation", "request_expert_review"])
def test_leaving_the_investigation_with_an_unsigned_report_is_refused(case_at, name):
    flow = case_at(CaseState.INVESTIGATING, disputed=False)
    flows.find_facts(flow)
    flows.write_report(flow)
    assert guard_report_submitted(flow.reload()) == NO_SIGNED_REPORT
    refused(flow, name, NO_SIGNED_REPORT, actor=flow.staff.investigator)


def test_a_signed_report_opens_both_ways_out_of_the_investigation(case_at):
    flow = case_at(CaseState.INVESTIGATING, disputed=False)
    flows.finish_investigation(flow)
    assert guard_report_submitted(flow.case) is None
    assert guard_deliberation(flow.case) is None
    assert reason_shown(flow, "request_expert_review", flow.staff.investigator) is None


# --- expert review and the Tai'an disputed rule --------------------------------------------


def test_deliberation_from_expert_review_needs_the_panels_conclusion(unit):
    flow = flows.taian_case_at(CaseState.EXPERT_REVIEW, unit=unit, disputed=False)
    refused(flow, "submit_for_deliberation", NO_PANEL_OPINION, actor=flow.staff.investigator)
    flows.form_panel(flow)
    flows.give_opinions(flow, ["agree"] * 3)
    refused(flow, "submit_for_deliberation", NO_PANEL_OPINION, actor=flow.staff.investigator)
    flows.conclude_panel(flow)
    assert guard_deliberation(flow.case) is None
    flows.submit(flow)
    assert flow.state == CaseState.DELIBERATION


def test_a_disputed_taian_case_needs_the_panel_before_deliberation(case_at):
    flow = case_at(CaseState.INVESTIGATING, disputed=True)
    flows.finish_investigation(flow)
    assert guard_deliberation(flow.case) == TAIAN_DISPUTED
    assert reason_shown(flow, "submit_for_deliberation", flow.staff.investigator) == TAIAN_DISPUTED
    refused(flow, "submit_for_deliberation", TAIAN_DISPUTED, actor=flow.staff.investigator)


def test_a_disputed_taian_case_in_expert_review_is_told_about_the_missing_opinion(case_at):
    flow = case_at(CaseState.EXPERT_REVIEW, disputed=True)
    refused(flow, "submit_for_deliberation", NO_PANEL_OPINION, actor=flow.staff.investigator)


def test_the_disputed_rule_is_taians_only(other_unit, catalogs):
    flow = flows.lianyungang_case_at(CaseState.INVESTIGATING, unit=other_unit, disputed=True)
    flows.finish_investigation(flow)
    assert guard_deliberation(flow.case) is None


# --- deliberation → decided -------------------------------------------------------------


def test_decide_without_any_determination_is_refused(case_at):
    flow = case_at(CaseState.DELIBERATION, disputed=False)
    assert guard_decide(flow.case) == NOT_ALL_ADOPTED
    refused(flow, "decide", NOT_ALL_ADOPTED, actor=flow.staff.chair)


def test_decide_with_a_rejected_determination_is_refused(case_at):
    flow = case_at(CaseState.DELIBERATION, disputed=False)
    flows.deliberation_facts(flow)
    flows.convene(flow)
    staff = flow.staff
    determination = flows.propose(flow)
    flows.vote_all(
        flow, determination, {staff.leaders[0]: "disagree", staff.leaders[1]: "disagree"}
    )
    vote_close(actor=staff.chair, meeting=flow.meeting)
    assert flow.case.determinations.get().status == Determination.Status.REJECTED
    assert flow.state == CaseState.DELIBERATION
    refused(flow, "decide", NOT_ALL_ADOPTED, actor=staff.chair)


def test_decide_with_only_one_of_two_officers_adopted_is_refused(unit):
    flow = flows.taian_case_at(CaseState.DELIBERATION, unit=unit, disputed=False, officers=2)
    flows.deliberation_facts(flow)
    flows.convene(flow)
    flows.vote_all(flow, flows.propose(flow, flow.subject_officers[0]))
    assert guard_decide(flow.reload()) == NOT_ALL_ADOPTED
    refused(flow, "decide", NOT_ALL_ADOPTED, actor=flow.staff.chair)


# --- filing, publication, closing ------------------------------------------------------------


def test_file_and_publish_without_a_no_liability_determination_are_refused(other_unit, catalogs):
    flow = flows.lianyungang_case_at(CaseState.DECIDED, unit=other_unit)  # mitigated
    assert guard_file(flow.case) == NO_FILING_NEEDED
    assert guard_publish(flow.case) == NO_PUBLICATION_NEEDED
    refused(flow, "file", NO_FILING_NEEDED)
    refused(flow, "publish", NO_PUBLICATION_NEEDED)
    assert guard_close(flow.case) is None


def test_a_taian_liable_decision_is_neither_filed_nor_published_and_closes(case_at):
    flow = case_at(CaseState.DELIBERATION, disputed=False)
    facts = {"inspection_plan_followed": False, "fault_established": True}
    flows.record_facts(flow, "deliberation", facts, flow.staff.leaders[0])
    flows.convene(flow)
    flows.vote_all(
        flow,
        flows.propose(flow, outcome="liable", cited_clauses=[], sanction="通报批评", reasons="……"),
    )
    vote_close(actor=flow.staff.chair, meeting=flow.meeting)
    assert flow.state == CaseState.DECIDED
    refused(flow, "file", NO_FILING_NEEDED)
    refused(flow, "publish", NO_PUBLICATION_NEEDED)
    flows.move(flow, "close", flow.staff.chair)
    assert flow.state == CaseState.CLOSED


def test_a_taian_exemption_is_published_only_after_filing(case_at):
    flow = case_at(CaseState.DECIDED)
    assert guard_publish(flow.case) == FILE_BEFORE_PUBLISHING
    refused(flow, "publish", FILE_BEFORE_PUBLISHING)
    flows.move(flow, "file", flow.staff.inspector)
    assert guard_publish(flow.case) is None


@pytest.mark.parametrize("state", [CaseState.DECIDED, CaseState.FILED])
def test_a_taian_exemption_closes_only_after_filing_and_publication(case_at, state):
    flow = case_at(state)
    assert guard_close(flow.case) == FILE_AND_PUBLISH_BEFORE_CLOSING
    refused(flow, "close", FILE_AND_PUBLISH_BEFORE_CLOSING)
    refused(flow, "close", FILE_AND_PUBLISH_BEFORE_CLOSING, actor=flow.staff.chair)


def test_a_published_taian_exemption_closes(unit):
    flow = flows.taian_case_at(CaseState.PUBLISHED, unit=unit)
    assert guard_close(flow.case) is None
    flows.move(flow, "close", flow.staff.chair)
    assert flow.state == CaseState.CLOSED


# --- moves from the wrong stage -------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "name", "message"),
    [
        (
            CaseState.DRAFT,
            "start_investigation",
            cases_errors.MOVE_NOT_IN_STATE % {"state": "草稿", "action": "开始调查核实"},
        ),
        (
            CaseState.DRAFT,
            "submit_for_deliberation",
            cases_errors.MOVE_NOT_IN_STATE % {"state": "草稿", "action": "提交集体研究"},
        ),
        (
            CaseState.REGISTERED,
            "register",
            cases_errors.MOVE_NOT_IN_STATE % {"state": "已登记", "action": "登记立案"},
        ),
        (
            CaseState.REGISTERED,
            "decide",
            cases_errors.MOVE_NOT_IN_STATE % {"state": "已登记", "action": "确认集体研究决定"},
        ),
        (
            CaseState.INVESTIGATING,
            "file",
            cases_errors.MOVE_NOT_IN_STATE % {"state": "调查核实", "action": "报纪检监察机关备案"},
        ),
        (
            CaseState.DELIBERATION,
            "request_expert_review",
            cases_errors.MOVE_NOT_IN_STATE % {"state": "集体研究", "action": "提请专家论证"},
        ),
        (
            CaseState.DELIBERATION,
            "close",
            cases_errors.MOVE_NOT_IN_STATE % {"state": "集体研究", "action": "结案"},
        ),
        (
            CaseState.DECIDED,
            "withdraw",
            cases_errors.MOVE_NOT_IN_STATE % {"state": "已作出决定", "action": "撤销案件"},
        ),
        (
            CaseState.FILED,
            "file",
            cases_errors.MOVE_NOT_IN_STATE % {"state": "已备案", "action": "报纪检监察机关备案"},
        ),
        (
            CaseState.CLOSED,
            "publish",
            cases_errors.MOVE_NOT_IN_STATE % {"state": "已结案", "action": "公开决定"},
        ),
        (
            CaseState.CLOSED,
            "close",
            cases_errors.MOVE_NOT_IN_STATE % {"state": "已结案", "action": "结案"},
        ),
    ],
)
def test_a_move_from_the_wrong_stage_is_refused(case_at, state, name, message):
    flow = case_at(state, disputed=False)
    refused(flow, name, message, reason="理由")


def test_a_withdrawn_case_moves_no_more(case_at):
    flow = case_at(CaseState.REGISTERED)
    flows.move(
        flow, "withdraw", flow.staff.inspector, reason="举报人撤回举报，经核实无执法过错线索。"
    )
    assert flow.state == CaseState.WITHDRAWN
    assert available_transitions(flow.reload(), flow.staff.inspector) == []
    refused(
        flow,
        "start_investigation",
        cases_errors.MOVE_NOT_IN_STATE % {"state": "已撤销", "action": "开始调查核实"},
        actor=flow.staff.investigator,
    )


def test_an_unknown_move_is_refused(case_at):
    flow = case_at(CaseState.DRAFT)
    refused(flow, "approve", str(cases_errors.UNKNOWN_MOVE))
    refused(flow, "get_all_state_transitions", str(cases_errors.UNKNOWN_MOVE))


# --- withdrawal ---------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_withdraw_without_a_reason_is_refused(case_at, reason):
    flow = case_at(CaseState.REGISTERED)
    refused(flow, "withdraw", str(cases_errors.MOVE_REASON_MISSING), reason=reason)


@pytest.mark.parametrize(
    "state",
    [
        CaseState.DRAFT,
        CaseState.REGISTERED,
        CaseState.INVESTIGATING,
        CaseState.EXPERT_REVIEW,
        CaseState.DELIBERATION,
    ],
)
def test_withdraw_with_a_reason_is_recorded(case_at, state):
    flow = case_at(state)
    count = AuditEvent.objects.count()
    flows.move(flow, "withdraw", flow.staff.chair, reason="纪检监察机关已立案审查。")
    assert (flow.state, flow.case.deadline_at) == (CaseState.WITHDRAWN, None)
    event = AuditEvent.objects.get(sequence=count + 1)
    assert event.event_type == AuditEventType.CASE_TRANSITIONED
    assert details(event) == {
        "transition": "withdraw",
        "before": state,
        "after": "withdrawn",
        "reason": "纪检监察机关已立案审查。",
    }


# --- the page shows refused moves with their reasons -----------------------------------------


def test_available_transitions_lists_the_users_moves_with_reasons(case_at):
    flow = case_at(CaseState.INVESTIGATING)
    moves = {
        t.name: (t.allowed, t.reason, t.target)
        for t in available_transitions(flow.case, flow.staff.investigator)
    }
    assert moves == {
        "request_expert_review": (False, NO_SIGNED_REPORT, "expert_review"),
        "submit_for_deliberation": (False, NO_SIGNED_REPORT, "deliberation"),
    }
    # The inspector may request the review and withdraw, not submit.
    assert {t.name for t in available_transitions(flow.case, flow.staff.inspector)} == {
        "request_expert_review",
        "withdraw",
    }
    # A user of another unit sees no move at all.
    stranger = flows.staff_for(flows.unit_for("taian")).inspector
    assert available_transitions(flow.case, stranger) == []
