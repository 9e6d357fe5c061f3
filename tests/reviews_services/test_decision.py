"""The collective decision (deliberation/services.py): quorum and majority
counted on the members entitled to vote (recused members left out of both),
absent members' written opinions kept but no vote, each officer voted
separately, the chair last, the vote closed once, and a determination that
departs from the engine's proposal or cites an unsatisfied clause only with a
written reason."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEventType
from cases import errors as cases_errors
from cases.services.facts import fact_record
from cases.workflow import CaseState, Stage
from deliberation import errors as deliberation_errors
from deliberation.models import DecisionRules, Determination, Meeting, MeetingMember, Vote
from deliberation.services import (
    ProposalInput,
    attendance_record,
    determination_propose,
    meeting_convene,
    tally_compute,
    vote_close,
    vote_record,
)
from tests import flows
from tests.conftest import built_once_per_module, for_one_test
from tests.flows import details, new_events, nothing_changes, staff_for

pytestmark = pytest.mark.django_db

# A proposal departing from the engine's (exempt), without a reason.
DEPARTS = deliberation_errors.DEPARTS_FROM_PROPOSAL % {"proposal": "不予追究责任"}
DEPARTURE = DEPARTS + str(deliberation_errors.DEPARTURE_REASON_MISSING)


def _chair_waits_for(*members) -> str:
    """The refusal of the chair's position while `members` have not stated theirs."""
    names = "、".join(member.get_full_name() for member in members)
    return deliberation_errors.VOTE_CHAIR_LAST % {"names": names}


def deliberating(unit, *, leaders=2, officers=1, rules=None, propose=True):
    """A Tai'an case in deliberation, its facts held (6.4 satisfied: the
    engine proposes exempt), a meeting of the chair and `leaders` members all
    present, and (propose=True) the scenario's proposal for each officer.
    `rules`: the unit's DecisionRules fields, set before convening."""
    if rules:
        DecisionRules.objects.update_or_create(unit=unit, defaults=rules)
    flow = flows.taian_case_at(
        CaseState.DELIBERATION,
        staff=staff_for(unit, leaders=leaders),
        officers=officers,
        disputed=False,
    )
    flows.deliberation_facts(flow)
    flows.convene(flow)
    if propose:
        for subject_officer in flow.subject_officers:
            flows.propose(flow, subject_officer)
    return flow


# The deliberating() arguments several tests start from, each flow in a unit
# of its own; tests with other arguments or rules build their own.
SHARED = ({}, {"propose": False}, {"leaders": 3}, {"leaders": 5}, {"officers": 2})


def _key(arguments):
    return tuple(sorted(arguments.items()))


def _flows():
    built = {
        _key(arguments): deliberating(flows.unit_for("taian"), **arguments) for arguments in SHARED
    }
    # Submitted for deliberation, no facts held nor meeting convened yet.
    built["submitted"] = flows.taian_case_at(CaseState.DELIBERATION, disputed=False)
    return built


_flows_built = built_once_per_module(_flows)


@pytest.fixture
def in_deliberation(_flows_built, settings):
    """deliberating(...) with shared arguments: the test's copy of the
    module's flow, of that flow alone."""
    return lambda **arguments: for_one_test(_flows_built, settings, _key(arguments))


@pytest.fixture
def submitted(_flows_built, settings):
    """A Tai'an case (not disputed) just submitted for deliberation: the
    test's copy of the module's."""
    return for_one_test(_flows_built, settings, "submitted")


def attend(flow, user, attendance, reason="", written=""):
    member = flow.meeting.members.get(user=user)
    return attendance_record(
        actor=flow.staff.chair,
        member=member,
        attendance=attendance,
        reason=reason,
        written_opinion=written,
    )


def vote(flow, user, position="agree", determination=None, reasoning="意见如上"):
    return vote_record(
        actor=user,
        determination=determination or flow.determinations[0],
        position=position,
        reasoning=reasoning,
    )


def close(flow):
    vote_close(actor=flow.staff.chair, meeting=flow.meeting)
    for determination in flow.determinations:
        determination.refresh_from_db()
    return flow.determinations[0]


def refused(flow, call, messages=None, message_dict=None, error=ValidationError):
    with nothing_changes(flow.case), pytest.raises(error) as raised:
        call()
    if messages is not None:
        assert raised.value.messages == messages
    if message_dict is not None:
        assert raised.value.message_dict == message_dict
    return raised


def tally(determination):
    return {
        key: determination.tally[key]
        for key in ("entitled", "present", "agree", "quorum_met", "passed")
    }


# --- quorum and majority ----------------------------------------------------------------------


def test_three_of_five_present_is_below_the_two_thirds_quorum(unit):
    """The issue's example (5 members, 2 absent, 3 agree) under the default
    rules: 3/5 present is less than two thirds, so nothing is resolved, however
    they vote. (Its majority part, 3*2 > 1*5, is the next test's.)"""
    flow = deliberating(unit, leaders=4)
    leaders, chair = flow.staff.leaders, flow.staff.chair
    attend(flow, leaders[2], "absent")
    attend(flow, leaders[3], "absent")
    for user in (leaders[0], leaders[1], chair):
        vote(flow, user)
    determination = close(flow)
    assert tally(determination) == {
        "entitled": 5,
        "present": 3,
        "agree": 3,
        "quorum_met": False,
        "passed": False,
    }
    assert determination.status == Determination.Status.REJECTED
    assert flow.state == CaseState.DELIBERATION


@pytest.mark.parametrize(
    ("positions", "passed"),
    [
        (("agree", "agree", "agree"), True),  # 3*2 > 1*5
        (("agree", "abstain", "agree"), False),  # 2*2 > 1*5 fails: a majority of those present only
        (("agree", "disagree", "agree"), False),
    ],
)
def test_a_resolution_needs_a_majority_of_those_entitled_not_of_those_present(
    unit, positions, passed
):
    flow = deliberating(unit, leaders=4, rules={"quorum_numerator": 1, "quorum_denominator": 2})
    leaders, chair = flow.staff.leaders, flow.staff.chair
    attend(flow, leaders[2], "absent")
    attend(flow, leaders[3], "absent")
    for user, position in zip((leaders[0], leaders[1], chair), positions, strict=True):
        vote(flow, user, position)
    determination = close(flow)
    assert tally(determination) == {
        "entitled": 5,
        "present": 3,
        "agree": positions.count("agree"),
        "quorum_met": True,
        "passed": passed,
    }
    assert determination.tally["abstain"] == positions.count("abstain")
    assert determination.tally["disagree"] == positions.count("disagree")
    assert determination.status == ("adopted" if passed else "rejected")
    assert flow.state == (CaseState.DECIDED if passed else CaseState.DELIBERATION)


@pytest.mark.parametrize(("agree", "passed"), [(3, False), (4, True)])
def test_with_the_default_rules_four_of_six_is_a_quorum_and_four_votes_pass(
    in_deliberation, agree, passed
):
    flow = in_deliberation(leaders=5)
    leaders, chair = flow.staff.leaders, flow.staff.chair
    attend(flow, leaders[3], "absent")
    attend(flow, leaders[4], "absent")
    voters = [leaders[0], leaders[1], leaders[2], chair]
    for n, user in enumerate(voters):
        vote(flow, user, "agree" if n < agree else "abstain")
    determination = close(flow)
    assert tally(determination) == {
        "entitled": 6,
        "present": 4,
        "agree": agree,
        "quorum_met": True,
        "passed": passed,
    }


def test_recused_members_are_left_out_of_both_counts(in_deliberation):
    flow = in_deliberation(leaders=3)
    leaders, chair = flow.staff.leaders, flow.staff.chair
    attend(flow, leaders[2], "recused", reason="系当事执法人员的近亲属")
    vote(flow, leaders[0], "agree")
    vote(flow, leaders[1], "disagree")
    vote(flow, chair, "agree")
    determination = close(flow)
    # 3 entitled, 3 present: 2*2 > 3. Had the member been absent, 2*2 > 4 fails.
    assert tally(determination) == {
        "entitled": 3,
        "present": 3,
        "agree": 2,
        "quorum_met": True,
        "passed": True,
    }
    member = flow.meeting.members.get(user=leaders[2])
    assert (member.is_entitled, member.recusal_reason) == (False, "系当事执法人员的近亲属")


def test_the_same_votes_fail_when_the_member_is_absent_instead_of_recused(in_deliberation):
    flow = in_deliberation(leaders=3)
    leaders, chair = flow.staff.leaders, flow.staff.chair
    attend(flow, leaders[2], "absent")
    vote(flow, leaders[0], "agree")
    vote(flow, leaders[1], "disagree")
    vote(flow, chair, "agree")
    assert tally(close(flow)) == {
        "entitled": 4,
        "present": 3,
        "agree": 2,
        "quorum_met": True,
        "passed": False,
    }


def test_an_absent_members_written_opinion_is_kept_but_is_no_vote(in_deliberation):
    flow = in_deliberation(leaders=3)
    leaders, chair = flow.staff.leaders, flow.staff.chair
    with new_events() as events:
        member = attend(flow, leaders[2], "absent", written="书面意见：同意不予追究责任。")
    assert member.written_opinion == "书面意见：同意不予追究责任。"
    assert [e.event_type for e in events] == [AuditEventType.ATTENDANCE_RECORDED]
    assert details(events[0]) == {"before": "present", "after": "absent", "reason": ""}
    refused(flow, lambda: vote(flow, leaders[2]), messages=[str(deliberation_errors.NOT_PRESENT)])
    vote(flow, leaders[0], "agree")
    vote(flow, leaders[1], "disagree")
    vote(flow, chair, "agree")
    determination = close(flow)
    assert tally(determination) == {
        "entitled": 4,
        "present": 3,
        "agree": 2,
        "quorum_met": True,
        "passed": False,
    }
    assert Vote.objects.filter(member=member).count() == 0
    assert MeetingMember.objects.get(pk=member.pk).written_opinion == "书面意见：同意不予追究责任。"


def test_a_written_opinion_is_kept_only_for_an_absent_member(in_deliberation):
    flow = in_deliberation()
    member = attend(flow, flow.staff.leaders[0], "present", written="我同意")
    assert member.written_opinion == ""


def test_attendance_needs_a_known_value_and_a_recusal_reason(in_deliberation):
    flow = in_deliberation()
    leader = flow.staff.leaders[0]
    refused(
        flow,
        lambda: attend(flow, leader, "late"),
        message_dict={"attendance": [str(deliberation_errors.ATTENDANCE_INVALID)]},
    )
    refused(
        flow,
        lambda: attend(flow, leader, "recused", reason=" "),
        message_dict={"reason": [str(deliberation_errors.RECUSAL_REASON_MISSING)]},
    )


def test_attendance_is_fixed_once_voting_starts(in_deliberation):
    flow = in_deliberation()
    vote(flow, flow.staff.leaders[0])
    refused(
        flow,
        lambda: attend(flow, flow.staff.leaders[1], "absent"),
        messages=[str(deliberation_errors.ATTENDANCE_FIXED_AFTER_VOTING_BEGAN)],
    )


# --- each officer separately --------------------------------------------------------------------


def test_each_officer_is_voted_on_separately_and_the_case_waits_for_all(in_deliberation):
    flow = in_deliberation(officers=2)
    first, second = flow.determinations
    leaders, chair = flow.staff.leaders, flow.staff.chair
    for user in (*leaders, chair):
        vote(flow, user, "agree", determination=first)
    vote(flow, leaders[0], "disagree", determination=second)
    vote(flow, leaders[1], "disagree", determination=second)
    vote(flow, chair, "agree", determination=second)
    with new_events() as events:
        close(flow)
    assert (first.status, second.status) == ("adopted", "rejected")
    assert (first.tally["agree"], second.tally["agree"]) == (3, 1)
    assert flow.state == CaseState.DELIBERATION
    assert [e.event_type for e in events] == [AuditEventType.VOTE_CLOSED]
    assert events[0].data["results"] == {
        "张执法": ["adopted", first.tally],
        "刘执法": ["rejected", second.tally],
    }

    # A new meeting takes up the second officer; the case is decided when it passes.
    flows.convene(flow)
    flow.determinations = []
    again = flows.propose(flow, flow.subject_officers[1])
    flows.vote_all(flow, again)
    close(flow)
    assert again.status == "adopted"
    assert flow.state == CaseState.DECIDED


def test_every_present_member_must_vote_on_every_officer_before_closing(in_deliberation):
    flow = in_deliberation(officers=2)
    first, second = flow.determinations
    flows.vote_all(flow, first)
    refused(
        flow,
        lambda: vote_close(actor=flow.staff.chair, meeting=flow.meeting),
        messages=[
            deliberation_errors.VOTES_MISSING % {"officer": second.subject_officer.officer.name}
        ],
    )


def test_a_vote_cannot_close_on_nothing(in_deliberation):
    flow = in_deliberation(propose=False)
    refused(
        flow,
        lambda: vote_close(actor=flow.staff.chair, meeting=flow.meeting),
        messages=[str(deliberation_errors.NO_PROPOSAL)],
    )


# --- the chair last; one position each ------------------------------------------------------------


def test_the_chair_states_a_position_last(in_deliberation):
    flow = in_deliberation(leaders=3)
    leaders, chair = flow.staff.leaders, flow.staff.chair
    attend(flow, leaders[2], "recused", reason="回避")  # not waited for
    refused(
        flow,
        lambda: vote(flow, chair),
        messages=[_chair_waits_for(leaders[0], leaders[1])],
    )
    vote(flow, leaders[0])
    refused(flow, lambda: vote(flow, chair), messages=[_chair_waits_for(leaders[1])])
    vote(flow, leaders[1])
    with new_events() as events:
        chairs = vote(flow, chair, reasoning="同意，按多数意见。")
    votes = Vote.objects.filter(determination__case=flow.case).order_by("id")
    assert list(votes.values_list("member__user", flat=True)) == [
        leaders[0].pk,
        leaders[1].pk,
        chair.pk,
    ]
    assert chairs.reasoning == "同意，按多数意见。"
    assert [e.event_type for e in events] == [AuditEventType.VOTE_RECORDED]
    assert details(events[0]) == {
        "determination": flow.determinations[0].pk,
        "position": "agree",
        "reasoning": "同意，按多数意见。",
    }


def test_a_position_is_stated_once_with_a_reason(in_deliberation):
    flow = in_deliberation()
    leader = flow.staff.leaders[0]
    refused(
        flow,
        lambda: vote(flow, leader, "maybe"),
        message_dict={"position": [str(deliberation_errors.POSITION_MISSING)]},
    )
    refused(
        flow,
        lambda: vote(flow, leader, reasoning=" "),
        message_dict={"reasoning": [str(deliberation_errors.VOTE_REASONING_MISSING)]},
    )
    vote(flow, leader, "disagree")
    refused(
        flow, lambda: vote(flow, leader, "agree"), messages=[str(deliberation_errors.ALREADY_VOTED)]
    )
    assert Vote.objects.get(determination__case=flow.case).position == "disagree"


# --- closed once ----------------------------------------------------------------------------------


def test_the_vote_is_closed_once_and_nothing_is_added_after(in_deliberation):
    flow = in_deliberation(leaders=3)
    leaders = flow.staff.leaders
    for user in leaders:
        vote(flow, user, "abstain" if user == leaders[2] else "agree")
    # The chair has not stated a position: closing waits for every present member.
    refused(
        flow,
        lambda: vote_close(actor=flow.staff.chair, meeting=flow.meeting),
        messages=[deliberation_errors.VOTES_MISSING % {"officer": flow.officer.officer.name}],
    )
    vote(flow, flow.staff.chair)
    determination = close(flow)
    assert determination.status == "adopted"
    decided_at = determination.decided_at
    meeting = Meeting.objects.get(case=flow.case)
    assert (meeting.status, meeting.closed_by) == ("closed", flow.staff.chair)

    refused(
        flow,
        lambda: vote_close(actor=flow.staff.chair, meeting=flow.meeting),
        messages=[str(deliberation_errors.VOTE_ALREADY_CLOSED)],
    )
    refused(
        flow,
        lambda: vote(flow, leaders[2], "disagree"),
        messages=[str(deliberation_errors.VOTING_CLOSED)],
    )
    refused(
        flow,
        lambda: attend(flow, leaders[0], "absent"),
        messages=[str(deliberation_errors.MEETING_CLOSED)],
    )
    determination.refresh_from_db()
    assert (determination.status, determination.decided_at) == ("adopted", decided_at)
    assert Vote.objects.filter(determination__case=flow.case).count() == 4


def test_no_proposal_after_the_vote_is_closed(in_deliberation):
    flow = in_deliberation(officers=2)
    first, second = flow.determinations
    flows.vote_all(flow, first)
    flows.vote_all(
        flow, second, {flow.staff.leaders[0]: "disagree", flow.staff.leaders[1]: "disagree"}
    )
    close(flow)
    refused(
        flow,
        lambda: flows.propose(flow, flow.subject_officers[1]),
        messages=[str(deliberation_errors.PROPOSAL_AFTER_CLOSE)],
    )


def test_a_withdrawn_case_takes_no_more_votes(in_deliberation):
    flow = in_deliberation()
    flows.move(flow, "withdraw", flow.staff.chair, reason="纪检监察机关已立案审查。")
    with pytest.raises(ValidationError):
        vote(flow, flow.staff.leaders[0])


# --- the proposal ------------------------------------------------------------------------------


def test_the_engines_proposal_is_kept_beside_the_determination(in_deliberation):
    flow = in_deliberation(propose=False)
    with new_events() as events:
        determination = flows.propose(flow)
    assert (determination.outcome, determination.engine_outcome) == ("exempt", "exempt")
    assert determination.regulation == flow.case.regulation
    assert determination.cited_clauses == ["6.4"]
    assert not determination.departs_from_proposal
    assert [e.event_type for e in events] == [AuditEventType.DETERMINATION_RECORDED]
    assert events[0].data["engine_outcome"] == "exempt"


def test_a_departure_from_the_engines_proposal_needs_a_reason_and_is_kept(in_deliberation):
    flow = in_deliberation(propose=False)
    refused(
        flow,
        lambda: flows.propose(flow, outcome="liable", cited_clauses=[], sanction="通报批评"),
        message_dict={"departure_reason": [DEPARTURE]},
    )
    assert not Determination.objects.filter(case=flow.case).exists()
    with new_events() as events:
        determination = flows.propose(
            flow,
            outcome="liable",
            cited_clauses=[],
            sanction="通报批评",
            departure_reason="检查记录系事后补记，不予采信。",
        )
    assert determination.departs_from_proposal
    assert (determination.engine_outcome, determination.departure_reason) == (
        "exempt",
        "检查记录系事后补记，不予采信。",
    )
    assert events[0].data["departure_reason"] == "检查记录系事后补记，不予采信。"
    flows.vote_all(flow, determination)
    close(flow)
    determination.refresh_from_db()
    assert (determination.status, determination.departs_from_proposal) == ("adopted", True)


def test_citing_a_clause_not_satisfied_needs_a_reason(in_deliberation):
    flow = in_deliberation(propose=False)
    refused(
        flow,
        lambda: flows.propose(flow, cited_clauses=["6.4", "6.5"]),
        message_dict={
            "departure_reason": [
                deliberation_errors.CITED_NOT_SATISFIED % {"refs": "6.5"}
                + deliberation_errors.DEPARTURE_REASON_MISSING
            ]
        },
    )
    refused(
        flow,
        lambda: flows.propose(flow, outcome="no_fault", cited_clauses=["6.5"]),
        message_dict={
            "departure_reason": [
                DEPARTS
                + "；"
                + deliberation_errors.CITED_NOT_SATISFIED % {"refs": "6.5"}
                + deliberation_errors.DEPARTURE_REASON_MISSING
            ]
        },
    )
    determination = flows.propose(
        flow, cited_clauses=["6.4", "6.5"], departure_reason="第（五）项亦可参照适用。"
    )
    assert determination.cited_clauses == ["6.4", "6.5"]
    assert not determination.departs_from_proposal  # the outcome itself agrees


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"outcome": "pardoned"}, {"outcome": [str(deliberation_errors.OUTCOME_INVALID)]}),
        ({"reasons": "  "}, {"reasons": [str(deliberation_errors.REASONS_MISSING)]}),
        (
            {"cited_clauses": ["6.4", "8.28"]},
            {"cited_clauses": [cases_errors.CLAUSES_OUTSIDE_REGULATION % {"refs": "8.28"}]},
        ),
        (
            {"cited_clauses": ["7.1"]},
            {"cited_clauses": [str(deliberation_errors.EXEMPT_NEEDS_EXEMPTION_CLAUSE)]},
        ),
        (
            {"cited_clauses": []},
            {"cited_clauses": [str(deliberation_errors.EXEMPT_NEEDS_EXEMPTION_CLAUSE)]},
        ),
        (
            {"outcome": "mitigated", "cited_clauses": ["6.4"]},
            {"cited_clauses": [str(deliberation_errors.MITIGATED_NEEDS_MITIGATION_CLAUSE)]},
        ),
        ({"measure": "reprimand"}, {"measure": [str(deliberation_errors.MEASURE_INVALID)]}),
        (
            {"measure": "talk_reminder"},
            {"measure": [str(deliberation_errors.MEASURE_NOT_WITH_OUTCOME)]},
        ),
    ],
)
def test_a_proposal_is_checked(in_deliberation, changes, errors):
    flow = in_deliberation(propose=False)
    refused(flow, lambda: flows.propose(flow, **changes), message_dict=errors)
    assert not Determination.objects.filter(case=flow.case).exists()


def test_one_proposal_per_officer_per_meeting_and_only_for_the_cases_officers(in_deliberation):
    flow = in_deliberation()
    refused(flow, lambda: flows.propose(flow), messages=[str(deliberation_errors.ALREADY_PROPOSED)])
    other = flows.taian_case_at(CaseState.DRAFT, staff=flow.staff)
    refused(
        flow,
        lambda: flows.propose(flow, other.officer),
        messages=[str(cases_errors.NOT_A_SUBJECT_OFFICER)],
    )


def _unsettle_deliberation(flow):
    """The deliberation no longer holds one carried fact 6.4 needs (amended to
    unknown, with a reason): the engine cannot propose."""
    fact_record(
        actor=flow.staff.leaders[0],
        case=flow.case,
        stage=Stage.DELIBERATION,
        fact_key="cause_outside_inspection_scope",
        value=None,
        reason="会上认为尚需核实",
    )


def test_a_departure_from_an_undetermined_proposal_is_explained_in_chinese(submitted):
    flow = submitted
    _unsettle_deliberation(flow)
    flows.convene(flow)
    with pytest.raises(ValidationError) as refused_:
        flows.propose(flow)
    [message] = refused_.value.message_dict["departure_reason"]
    assert "undetermined" not in message


def test_the_proposal_is_checked_against_the_deliberation_facts(submitted):
    flow = submitted
    _unsettle_deliberation(flow)
    flows.convene(flow)
    # Investigation facts make 6.4 satisfied, but the deliberation does not hold them all.
    determination = flows.propose(flow, departure_reason="沿用调查认定。")
    assert determination.engine_outcome == "undetermined"
    assert determination.departs_from_proposal
    assert determination.departure_reason == "沿用调查认定。"


# --- convening ----------------------------------------------------------------------------------


def _convene(flow, members=None, chair=None, place="局党组会议室", actor=None):
    return meeting_convene(
        actor=actor or flow.staff.chair,
        case=flow.case,
        held_on=datetime.date(2026, 6, 20),
        place=place,
        members=members if members is not None else flow.staff.meeting_members,
        chair=chair or flow.staff.chair,
    )


def test_the_meeting_is_convened_with_the_units_rules_of_the_day(unit):
    DecisionRules.objects.update_or_create(
        unit=unit, defaults={"majority_numerator": 2, "majority_denominator": 3}
    )
    flow = flows.taian_case_at(CaseState.DELIBERATION, unit=unit, disputed=False)
    with new_events() as events:
        meeting = _convene(
            flow, members=[*flow.staff.leaders, flow.staff.chair, flow.staff.leaders[0]]
        )
    assert (meeting.quorum_numerator, meeting.quorum_denominator) == (2, 3)
    assert (meeting.majority_numerator, meeting.majority_denominator) == (2, 3)
    assert meeting.members.count() == 3  # the duplicate listed once
    assert list(meeting.members.filter(is_chair=True).values_list("user", flat=True)) == [
        flow.staff.chair.pk
    ]
    assert [e.event_type for e in events] == [AuditEventType.MEETING_SCHEDULED]
    assert events[0].data["quorum"] == [2, 3] and events[0].data["majority"] == [2, 3]
    # Later changes to the rules do not alter this meeting.
    DecisionRules.objects.filter(unit=unit).update(quorum_numerator=1, quorum_denominator=2)
    meeting.refresh_from_db()
    assert (meeting.quorum_numerator, meeting.quorum_denominator) == (2, 3)


def test_the_default_rules_are_two_thirds_and_more_than_half(in_deliberation):
    flow = in_deliberation()
    meeting = flow.meeting
    assert (meeting.quorum_numerator, meeting.quorum_denominator) == (2, 3)
    assert (meeting.majority_numerator, meeting.majority_denominator) == (1, 2)
    assert DecisionRules.objects.get(unit=flow.staff.unit).quorum_denominator == 3


def test_convening_checks_members_chair_and_place(submitted):
    flow = submitted
    staff = flow.staff
    refused(
        flow,
        lambda: _convene(flow, members=staff.leaders),
        message_dict={"chair": [str(deliberation_errors.CHAIR_NOT_A_MEMBER)]},
    )
    refused(
        flow,
        lambda: _convene(flow, members=[*staff.meeting_members, staff.inspector]),
        message_dict={
            "members": [
                deliberation_errors.NOT_LEADERSHIP % {"names": staff.inspector.get_full_name()}
            ]
        },
    )
    refused(
        flow,
        lambda: _convene(flow, chair=staff.leaders[0]),
        message_dict={"chair": [str(deliberation_errors.CHAIR_NOT_UNIT_CHAIR)]},
    )
    refused(
        flow,
        lambda: _convene(flow, place=" "),
        message_dict={"place": [str(deliberation_errors.PLACE_MISSING)]},
    )
    assert not Meeting.objects.filter(case=flow.case).exists()


@pytest.mark.parametrize("state", [CaseState.INVESTIGATING, CaseState.DECIDED])
def test_a_meeting_only_in_deliberation(unit, state):
    flow = flows.taian_case_at(state, unit=unit, disputed=False)
    refused(
        flow, lambda: _convene(flow), messages=[str(deliberation_errors.NOT_YET_IN_DELIBERATION)]
    )


def test_one_open_meeting_at_a_time(in_deliberation):
    flow = in_deliberation()
    refused(flow, lambda: _convene(flow), messages=[str(deliberation_errors.MEETING_ALREADY_OPEN)])


def test_a_leader_may_convene_but_only_the_chair_closes(submitted):
    flow = submitted
    flows.deliberation_facts(flow)
    flow.meeting = _convene(flow, actor=flow.staff.leaders[0])
    assert flow.meeting.convened_by == flow.staff.leaders[0]
    flows.vote_all(flow, flows.propose(flow))
    with pytest.raises(PermissionDenied):
        vote_close(actor=flow.staff.leaders[0], meeting=flow.meeting)
    close(flow)
    assert flow.state == CaseState.DECIDED


def test_the_tally_is_computed_from_the_votes(in_deliberation):
    flow = in_deliberation(leaders=3)
    leaders = flow.staff.leaders
    attend(flow, leaders[2], "recused", reason="回避")
    vote(flow, leaders[0], "agree")
    vote(flow, leaders[1], "abstain")
    result = tally_compute(
        Meeting.objects.get(case=flow.case), Determination.objects.get(case=flow.case)
    )
    assert result.as_dict() == {
        "entitled": 3,
        "present": 3,
        "agree": 1,
        "disagree": 0,
        "abstain": 1,
        "quorum_met": True,
        "passed": False,
    }


def test_a_meeting_member_with_no_leadership_role_left_cannot_vote(in_deliberation):
    flow = in_deliberation()
    leader = flow.staff.leaders[0]
    leader.groups.clear()
    fresh = type(leader).objects.get(pk=leader.pk)
    raised = refused(flow, lambda: vote(flow, fresh), error=PermissionDenied)
    assert str(raised.value) == str(deliberation_errors.MAY_NOT_VOTE)


def test_proposal_input_is_the_documented_shape(in_deliberation):
    flow = in_deliberation(propose=False)
    determination = determination_propose(
        actor=flow.staff.chair,
        meeting=flow.meeting,
        proposal=ProposalInput(flow.officer, "exempt", ["6.4", "6.4"], "  理由  "),
    )
    assert (determination.cited_clauses, determination.reasons, determination.proposed_by) == (
        ["6.4"],
        "理由",
        flow.staff.chair,
    )
