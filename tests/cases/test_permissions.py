"""Every role is refused what is not theirs, by the services themselves
(PermissionDenied), and a refusal changes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role
from cases import errors as cases_errors
from cases.models import Case, Evidence, FactRecord
from cases.services.evidence import evidence_upload
from cases.services.facts import fact_record
from cases.services.intake import (
    SubjectOfficerInput,
    case_claims_set,
    case_create,
    case_regulation_change,
)
from cases.services.transitions import case_transition
from cases.workflow import CaseState, Stage
from deliberation import errors as deliberation_errors
from deliberation.models import Determination, Vote
from deliberation.services import (
    ProposalInput,
    attendance_record,
    determination_propose,
    meeting_convene,
    vote_close,
    vote_record,
)
from investigation import errors as investigation_errors
from investigation.models import InvestigationReport
from investigation.services import report_sign_off
from panel import errors as panel_errors
from panel.models import ExpertOpinion, ExpertPanel
from panel.services import opinion_record, panel_conclude, panel_set_up
from tests import flows
from tests.conftest import built_once_per_module, for_one_test
from tests.factories import OfficerFactory
from tests.flows import TAIAN, nothing_changes, person

pytestmark = pytest.mark.django_db

DENIED_MOVE = str(cases_errors.MAY_NOT_ACT)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def denied(case, call, message):
    with nothing_changes(case), pytest.raises(PermissionDenied) as error:
        call()
    assert str(error.value) == message


def move(flow, name, actor, reason=""):
    return lambda: case_transition(actor=actor, case_id=flow.case.pk, name=name, reason=reason)


# The Tai'an flows several tests start from, each in a unit of its own: every
# state as taian_case_at makes it (disputed), the undisputed ones the fact and
# meeting tests take, and the undisputed case with its meeting convened and
# the proposal made.
DISPUTED_STATES = (
    CaseState.DRAFT,
    CaseState.REGISTERED,
    CaseState.INVESTIGATING,
    CaseState.EXPERT_REVIEW,
    CaseState.DELIBERATION,
    CaseState.DECIDED,
    CaseState.FILED,
    CaseState.PUBLISHED,
)
UNDISPUTED_STATES = (CaseState.DRAFT, CaseState.INVESTIGATING, CaseState.DELIBERATION)


def _meeting_flow():
    flow = flows.taian_case_at(CaseState.DELIBERATION, disputed=False)
    flows.deliberation_facts(flow)
    flows.convene(flow)
    flows.propose(flow)
    return flow


def _flows():
    at = {(state, True): flows.taian_case_at(state) for state in DISPUTED_STATES}
    at |= {
        (state, False): flows.taian_case_at(state, disputed=False) for state in UNDISPUTED_STATES
    }
    return {**at, "meeting": _meeting_flow()}


_flows_built = built_once_per_module(_flows)


@pytest.fixture
def case_at(_flows_built, settings):
    """The module's Tai'an flow at a state (disputed unless disputed=False),
    the test's copy: of that flow alone (a copy of all of them took a tenth
    of a second a test)."""
    return lambda state, disputed=True: for_one_test(_flows_built, settings, (state, disputed))


# --- moves: who holds which ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "name", "role"),
    [
        (CaseState.DRAFT, "register", "investigator"),
        (CaseState.DRAFT, "register", "chair"),
        (CaseState.REGISTERED, "start_investigation", "inspector"),
        (CaseState.REGISTERED, "start_investigation", "chair"),
        (CaseState.EXPERT_REVIEW, "submit_for_deliberation", "inspector"),
        (CaseState.EXPERT_REVIEW, "submit_for_deliberation", "chair"),
        (CaseState.DELIBERATION, "decide", "leader"),
        (CaseState.DELIBERATION, "decide", "inspector"),
        (CaseState.DECIDED, "file", "chair"),
        (CaseState.DECIDED, "file", "investigator"),
        (CaseState.FILED, "publish", "chair"),
        (CaseState.PUBLISHED, "close", "investigator"),
        (CaseState.PUBLISHED, "close", "leader"),
        (CaseState.REGISTERED, "withdraw", "investigator"),
        (CaseState.REGISTERED, "withdraw", "leader"),
        (CaseState.REGISTERED, "withdraw", "expert"),
    ],
)
def test_a_move_is_refused_to_a_role_that_does_not_hold_it(case_at, state, name, role):
    flow = case_at(state)
    staff = flow.staff
    actor = {
        "inspector": staff.inspector,
        "investigator": staff.investigator,
        "leader": staff.leaders[0],
        "chair": staff.chair,
        "expert": staff.experts[0],
    }[role]
    denied(flow.case, move(flow, name, actor, reason="理由"), DENIED_MOVE)


def test_an_investigator_cannot_register(case_at):
    flow = case_at(CaseState.DRAFT)
    denied(flow.case, move(flow, "register", flow.staff.investigator), DENIED_MOVE)
    assert Case.objects.get(pk=flow.case.pk).number is None


def test_an_inspector_cannot_start_the_investigation(case_at):
    flow = case_at(CaseState.REGISTERED)
    denied(flow.case, move(flow, "start_investigation", flow.staff.inspector), DENIED_MOVE)
    assert Case.objects.get(pk=flow.case.pk).lead_investigator is None


def test_the_chair_alone_confirms_the_decision(case_at):
    flow = case_at(CaseState.DELIBERATION, disputed=False)
    for actor in (flow.staff.leaders[0], flow.staff.inspector, flow.staff.investigator):
        denied(flow.case, move(flow, "decide", actor), DENIED_MOVE)


# --- facts and claims ------------------------------------------------------------------------


def test_an_inspector_cannot_record_findings(case_at):
    flow = case_at(CaseState.INVESTIGATING)
    denied(
        flow.case,
        lambda: fact_record(
            actor=flow.staff.inspector,
            case=flow.case,
            stage=Stage.INVESTIGATION,
            fact_key="fault_established",
            value=False,
            note="……",
        ),
        str(cases_errors.MAY_NOT_RECORD_FACTS),
    )
    # (The intake's facts were carried into the investigation; nothing else.)
    assert not flow.case.fact_records.filter(
        stage=Stage.INVESTIGATION, fact_key="fault_established"
    ).exists()


@pytest.mark.parametrize(
    ("state", "stage", "role"),
    [
        (CaseState.DRAFT, Stage.INTAKE, "investigator"),
        (CaseState.DRAFT, Stage.INTAKE, "leader"),
        (CaseState.INVESTIGATING, Stage.INVESTIGATION, "leader"),
        (CaseState.INVESTIGATING, Stage.INVESTIGATION, "expert"),
        (CaseState.DELIBERATION, Stage.DELIBERATION, "inspector"),
        (CaseState.DELIBERATION, Stage.DELIBERATION, "investigator"),
        (CaseState.DELIBERATION, Stage.DELIBERATION, "expert"),
    ],
)
def test_facts_are_recorded_only_by_the_stages_role(case_at, state, stage, role):
    flow = case_at(state, disputed=False)
    actor = {
        "inspector": flow.staff.inspector,
        "investigator": flow.staff.investigator,
        "leader": flow.staff.leaders[0],
        "expert": flow.staff.experts[0],
    }[role]
    before = FactRecord.objects.count()
    denied(
        flow.case,
        lambda: fact_record(
            actor=actor,
            case=flow.case,
            stage=stage,
            fact_key="force_majeure",
            value=True,
            note="……",
        ),
        str(cases_errors.MAY_NOT_RECORD_FACTS),
    )
    assert FactRecord.objects.count() == before


def test_only_an_inspector_of_the_unit_sets_the_claims(case_at):
    flow = case_at(CaseState.DRAFT)
    for actor in (flow.staff.investigator, flow.staff.chair):
        denied(
            flow.case,
            lambda actor=actor: case_claims_set(
                actor=actor, case=flow.case, subject_officer=flow.officer, clause_refs=["6.5"]
            ),
            str(cases_errors.MAY_NOT_EDIT_INTAKE),
        )
    assert list(flow.case.clause_claims.values_list("clause_ref", flat=True)) == ["6.4"]


# --- the investigation report --------------------------------------------------------------------


def test_a_non_lead_investigator_cannot_sign_off(case_at):
    flow = case_at(CaseState.INVESTIGATING)
    colleague = person(flow.staff.unit, Role.INVESTIGATOR, "另一调查员")
    report = flows.write_report(flow, actor=flow.staff.investigator)
    denied(
        flow.case,
        lambda: report_sign_off(actor=colleague, case=flow.case, version=report.version),
        str(investigation_errors.MAY_NOT_SIGN_OFF_REPORT),
    )
    assert InvestigationReport.objects.get(case=flow.case).signed_off_at is None


def test_an_investigator_not_assigned_to_the_case_cannot_write_the_report(case_at):
    # Need-to-know: once the case has its investigator, the unit's other
    # investigators do not read it, so they write nothing on it either.
    flow = case_at(CaseState.INVESTIGATING)
    colleague = person(flow.staff.unit, Role.INVESTIGATOR, "另一调查员")
    with pytest.raises(PermissionDenied):
        flows.write_report(flow, actor=colleague)
    assert not InvestigationReport.objects.filter(case=flow.case).exists()


def test_an_inspector_cannot_write_the_report(case_at):
    flow = case_at(CaseState.INVESTIGATING)
    denied(
        flow.case,
        lambda: flows.write_report(flow, actor=flow.staff.inspector),
        str(investigation_errors.MAY_NOT_EDIT_REPORT),
    )
    assert not InvestigationReport.objects.filter(case=flow.case).exists()


# --- the expert panel ------------------------------------------------------------------------------


def test_a_non_panel_expert_cannot_give_an_opinion_or_conclude(case_at):
    flow = case_at(CaseState.EXPERT_REVIEW)
    panel = flows.form_panel(flow)
    outsider = person(flow.staff.unit, Role.EXPERT, "库外专家")
    denied(
        flow.case,
        lambda: opinion_record(
            actor=outsider, disputed_clause=panel.disputed.get(), position="agree", reasoning="同意"
        ),
        str(panel_errors.MAY_NOT_GIVE_OPINION),
    )
    flows.give_opinions(flow, ["agree"] * 3)
    denied(
        flow.case,
        lambda: panel_conclude(actor=outsider, case=flow.case, conclusion="同意"),
        str(panel_errors.MAY_NOT_CONCLUDE),
    )
    assert ExpertOpinion.objects.filter(member=outsider).count() == 0
    assert ExpertPanel.objects.get(case=flow.case).concluded_at is None


def test_a_panel_member_without_the_expert_role_cannot_give_an_opinion(case_at):
    flow = case_at(CaseState.EXPERT_REVIEW)
    panel = flows.form_panel(flow)
    panel.members.add(flow.staff.investigator)  # not through the service
    denied(
        flow.case,
        lambda: opinion_record(
            actor=flow.staff.investigator,
            disputed_clause=panel.disputed.get(),
            position="agree",
            reasoning="同意",
        ),
        str(panel_errors.MAY_NOT_GIVE_OPINION),
    )


def test_an_expert_cannot_set_up_the_panel(case_at):
    flow = case_at(CaseState.EXPERT_REVIEW)
    denied(
        flow.case,
        lambda: panel_set_up(
            actor=flow.staff.experts[0],
            case=flow.case,
            members=flow.staff.experts,
            question="？",
            disputed=[(flow.officer, "6.4")],
        ),
        str(panel_errors.MAY_NOT_SET_UP_PANEL),
    )
    assert not ExpertPanel.objects.filter(case=flow.case).exists()


# --- the meeting ------------------------------------------------------------------------------------


@pytest.fixture
def meeting_flow(_flows_built, settings):
    return for_one_test(_flows_built, settings, "meeting")


def test_a_non_leader_cannot_convene(case_at):
    flow = case_at(CaseState.DELIBERATION, disputed=False)
    for actor in (flow.staff.inspector, flow.staff.investigator, flow.staff.experts[0]):
        denied(
            flow.case,
            lambda actor=actor: meeting_convene(
                actor=actor,
                case=flow.case,
                held_on=datetime.date(2026, 6, 1),
                place="会议室",
                members=flow.staff.meeting_members,
                chair=flow.staff.chair,
            ),
            str(deliberation_errors.MAY_NOT_CONVENE),
        )
    assert not flow.case.meetings.exists()


def test_a_non_leader_cannot_vote(meeting_flow):
    flow = meeting_flow
    [determination] = flow.determinations
    for actor in (flow.staff.inspector, flow.staff.investigator, flow.staff.experts[0]):
        denied(
            flow.case,
            lambda actor=actor: vote_record(
                actor=actor, determination=determination, position="agree", reasoning="同意"
            ),
            str(deliberation_errors.MAY_NOT_VOTE),
        )
    assert not Vote.objects.filter(determination__case=flow.case).exists()


def test_a_leader_not_in_the_meeting_cannot_vote(meeting_flow):
    flow = meeting_flow
    absent_from_list = person(flow.staff.unit, Role.LEADERSHIP_MEMBER, "未参会副局长")
    denied(
        flow.case,
        lambda: vote_record(
            actor=absent_from_list,
            determination=flow.determinations[0],
            position="agree",
            reasoning="同意",
        ),
        str(deliberation_errors.NOT_A_MEETING_MEMBER),
    )
    assert not Vote.objects.filter(determination__case=flow.case).exists()


def test_a_non_chair_cannot_close_the_vote(meeting_flow):
    flow = meeting_flow
    flows.vote_all(flow, flow.determinations[0])
    for actor in (flow.staff.leaders[0], flow.staff.inspector):
        denied(
            flow.case,
            lambda actor=actor: vote_close(actor=actor, meeting=flow.meeting),
            str(deliberation_errors.MAY_NOT_CLOSE_VOTE),
        )
    # A principal leader who does not chair this meeting cannot close it either.
    other_chair = person(flow.staff.unit, Role.LEADERSHIP_CHAIR, "另一主要负责人")
    denied(
        flow.case,
        lambda: vote_close(actor=other_chair, meeting=flow.meeting),
        str(deliberation_errors.NOT_THE_MEETINGS_CHAIR),
    )
    flow.meeting.refresh_from_db()
    assert flow.meeting.is_open
    assert flow.case.determinations.get().status == Determination.Status.PROPOSED


def test_a_non_leader_cannot_record_attendance(meeting_flow):
    flow = meeting_flow
    member = flow.meeting.members.get(user=flow.staff.leaders[0])
    denied(
        flow.case,
        lambda: attendance_record(actor=flow.staff.inspector, member=member, attendance="absent"),
        str(deliberation_errors.MAY_NOT_RECORD_ATTENDANCE),
    )


def test_an_expert_cannot_propose_a_determination(meeting_flow):
    flow = meeting_flow
    denied(
        flow.case,
        lambda: determination_propose(
            actor=flow.staff.experts[0],
            meeting=flow.meeting,
            proposal=ProposalInput(flow.officer, "exempt", ["6.4"], "……"),
        ),
        str(deliberation_errors.MAY_NOT_PROPOSE),
    )


def test_a_recused_member_cannot_vote(meeting_flow):
    """Refused, though as a ValidationError rather than PermissionDenied: the
    recused member is in the meeting, only out of the vote."""
    flow = meeting_flow
    leader = flow.staff.leaders[0]
    member = flow.meeting.members.get(user=leader)
    attendance_record(actor=flow.staff.chair, member=member, attendance="recused", reason="近亲属")
    with nothing_changes(flow.case), pytest.raises(ValidationError) as error:
        vote_record(
            actor=leader, determination=flow.determinations[0], position="agree", reasoning="同意"
        )
    assert error.value.messages == [str(deliberation_errors.NOT_PRESENT)]
    assert not Vote.objects.filter(determination__case=flow.case).exists()


def test_a_leader_who_is_the_subject_officer_is_recused_and_cannot_vote(unit):
    staff = flows.staff_for(unit)
    chair, subject_leader = staff.chair, staff.leaders[1]
    flow = flows.taian_case_at(
        CaseState.DELIBERATION, staff=staff, disputed=False, officer_users=[subject_leader]
    )
    flows.deliberation_facts(flow)
    meeting = flows.convene(flow)
    member = meeting.members.get(user=subject_leader)
    assert (member.attendance, member.recusal_reason) == ("recused", "本人为涉案执法人员")
    with pytest.raises(ValidationError) as error:
        attendance_record(actor=chair, member=member, attendance="present")
    assert error.value.messages == [str(deliberation_errors.SUBJECT_OFFICER_MUST_RECUSE)]
    determination = flows.propose(flow)
    with pytest.raises(ValidationError):
        vote_record(
            actor=subject_leader, determination=determination, position="agree", reasoning="…"
        )
    assert not Vote.objects.filter(determination__case=flow.case).exists()


# --- a user of another unit can do nothing on the case ---------------------------------------------


@pytest.fixture
def outsiders(db, catalogs):
    """Every role, in a sibling bureau under the same regulation."""
    return flows.staff_for(flows.unit_for("taian"))


def _foreign_actions(flow, o):
    """{action: (the call by outsider o, the expected message)}; the case must
    be in the state FOREIGN gives."""
    so = flow.officer
    return {
        "create_in_unit": (
            lambda: case_create(
                actor=o.inspector,
                unit=flow.staff.unit,
                incident=TAIAN.incident,
                subject_officers=[
                    SubjectOfficerInput(OfficerFactory(unit=flow.staff.unit), "handler")
                ],
            ),
            str(cases_errors.MAY_NOT_REGISTER_IN_UNIT),
        ),
        "claims": (
            lambda: case_claims_set(
                actor=o.inspector, case=flow.case, subject_officer=so, clause_refs=[]
            ),
            str(cases_errors.MAY_NOT_EDIT_INTAKE),
        ),
        "intake_fact": (
            lambda: fact_record(
                actor=o.inspector,
                case=flow.case,
                stage="intake",
                fact_key="force_majeure",
                value=True,
            ),
            str(cases_errors.MAY_NOT_RECORD_FACTS),
        ),
        "register": (move(flow, "register", o.inspector), DENIED_MOVE),
        "withdraw": (move(flow, "withdraw", o.chair, "理由"), DENIED_MOVE),
        "start": (move(flow, "start_investigation", o.investigator), DENIED_MOVE),
        "evidence": (
            lambda: evidence_upload(
                actor=o.investigator,
                case=flow.case,
                upload=SimpleUploadedFile("a.png", PNG),
                description="照片",
            ),
            str(cases_errors.MAY_NOT_UPLOAD_EVIDENCE),
        ),
        "findings": (
            lambda: fact_record(
                actor=o.investigator,
                case=flow.case,
                stage="investigation",
                fact_key="force_majeure",
                value=True,
                note="……",
            ),
            str(cases_errors.MAY_NOT_RECORD_FACTS),
        ),
        "report": (
            lambda: flows.write_report(flow, actor=o.investigator),
            str(investigation_errors.MAY_NOT_EDIT_REPORT),
        ),
        "sign_off": (
            lambda: report_sign_off(actor=o.investigator, case=flow.case, version=1),
            str(investigation_errors.MAY_NOT_SIGN_OFF_REPORT),
        ),
        "panel": (
            lambda: panel_set_up(
                actor=o.inspector,
                case=flow.case,
                members=o.experts,
                question="？",
                disputed=[(so, "6.4")],
            ),
            str(panel_errors.MAY_NOT_SET_UP_PANEL),
        ),
        "submit": (move(flow, "submit_for_deliberation", o.investigator), DENIED_MOVE),
        "deliberation_fact": (
            lambda: fact_record(
                actor=o.leaders[0],
                case=flow.case,
                stage="deliberation",
                fact_key="force_majeure",
                value=True,
            ),
            str(cases_errors.MAY_NOT_RECORD_FACTS),
        ),
        "convene": (
            lambda: meeting_convene(
                actor=o.chair,
                case=flow.case,
                held_on=datetime.date(2026, 6, 1),
                place="会议室",
                members=flow.staff.meeting_members,
                chair=flow.staff.chair,
            ),
            str(deliberation_errors.MAY_NOT_CONVENE),
        ),
        "decide": (move(flow, "decide", o.chair), DENIED_MOVE),
        "file": (move(flow, "file", o.inspector), DENIED_MOVE),
        "publish": (move(flow, "publish", o.inspector), DENIED_MOVE),
        "close": (move(flow, "close", o.chair), DENIED_MOVE),
        "change_regulation": (
            lambda: case_regulation_change(
                actor=person(o.unit, Role.LEADERSHIP_CHAIR, "外单位局长"),
                case=flow.case,
                regulation=flow.case.regulation,
                reason="……",
            ),
            str(cases_errors.MAY_NOT_CHANGE_REGULATION),
        ),
    }


FOREIGN = {
    "create_in_unit": CaseState.DRAFT,
    "claims": CaseState.DRAFT,
    "intake_fact": CaseState.DRAFT,
    "register": CaseState.DRAFT,
    "withdraw": CaseState.REGISTERED,
    "start": CaseState.REGISTERED,
    "change_regulation": CaseState.REGISTERED,
    "evidence": CaseState.INVESTIGATING,
    "findings": CaseState.INVESTIGATING,
    "report": CaseState.INVESTIGATING,
    "sign_off": CaseState.INVESTIGATING,
    "panel": CaseState.EXPERT_REVIEW,
    "submit": CaseState.EXPERT_REVIEW,
    "deliberation_fact": CaseState.DELIBERATION,
    "convene": CaseState.DELIBERATION,
    "decide": CaseState.DELIBERATION,
    "file": CaseState.DECIDED,
    "publish": CaseState.FILED,
    "close": CaseState.PUBLISHED,
}


@pytest.mark.parametrize("action", FOREIGN)
def test_a_user_of_another_unit_can_do_nothing_on_the_case(case_at, outsiders, action):
    flow = case_at(FOREIGN[action])
    if action == "sign_off":
        flows.write_report(flow)
    if action == "submit":
        flows.form_panel(flow)
        flows.give_opinions(flow)
        flows.conclude_panel(flow)
    call, message = _foreign_actions(flow, outsiders)[action]
    counts = (Case.objects.count(), Evidence.objects.count(), FactRecord.objects.count())
    denied(flow.case, call, message)
    assert (Case.objects.count(), Evidence.objects.count(), FactRecord.objects.count()) == counts


def test_a_leader_of_another_unit_cannot_vote_or_close_the_vote(meeting_flow, outsiders):
    flow = meeting_flow
    [determination] = flow.determinations
    denied(
        flow.case,
        lambda: vote_record(
            actor=outsiders.leaders[0], determination=determination, position="agree", reasoning="…"
        ),
        str(deliberation_errors.MAY_NOT_VOTE),
    )
    flows.vote_all(flow, determination)
    denied(
        flow.case,
        lambda: vote_close(actor=outsiders.chair, meeting=flow.meeting),
        str(deliberation_errors.MAY_NOT_CLOSE_VOTE),
    )


def test_an_expert_of_another_unit_on_no_panel_cannot_give_an_opinion(case_at, outsiders):
    flow = case_at(CaseState.EXPERT_REVIEW)
    panel = flows.form_panel(flow)
    denied(
        flow.case,
        lambda: opinion_record(
            actor=outsiders.experts[0],
            disputed_clause=panel.disputed.get(),
            position="agree",
            reasoning="…",
        ),
        str(panel_errors.MAY_NOT_GIVE_OPINION),
    )


def test_a_leader_of_another_unit_cannot_be_made_a_meeting_member(case_at, outsiders):
    flow = case_at(CaseState.DELIBERATION, disputed=False)
    stranger = person(outsiders.unit, Role.LEADERSHIP_MEMBER, "外单位副局长")
    with nothing_changes(flow.case), pytest.raises(ValidationError) as error:
        flows.convene(flow, members=[*flow.staff.meeting_members, stranger])
    assert error.value.message_dict == {
        "members": [deliberation_errors.NOT_LEADERSHIP % {"names": "外单位副局长"}]
    }
    assert not flow.case.meetings.exists()


def test_an_expert_of_another_unit_cannot_be_put_on_the_panel(case_at, outsiders):
    flow = case_at(CaseState.EXPERT_REVIEW)
    stranger = person(outsiders.unit, Role.EXPERT, "外单位专家")
    with nothing_changes(flow.case), pytest.raises(ValidationError) as error:
        panel_set_up(
            actor=flow.staff.inspector,
            case=flow.case,
            members=[*flow.staff.experts[:2], stranger],
            question="？",
            disputed=[(flow.officer, "6.4")],
        )
    assert error.value.message_dict == {
        "members": [panel_errors.NOT_CASE_EXPERTS % {"names": "外单位专家"}]
    }
    assert not ExpertPanel.objects.filter(case=flow.case).exists()


# --- regulation change -------------------------------------------------------------------------


def test_only_the_chair_changes_the_regulation(case_at, catalogs):
    flow = case_at(CaseState.REGISTERED)
    administrator = person(flow.staff.unit, Role.ADMINISTRATOR, "管理员")
    for actor in (flow.staff.inspector, flow.staff.leaders[0], administrator):
        denied(
            flow.case,
            lambda actor=actor: case_regulation_change(
                actor=actor, case=flow.case, regulation=catalogs["lianyungang"], reason="……"
            ),
            str(cases_errors.MAY_NOT_CHANGE_REGULATION),
        )
    case = case_regulation_change(
        actor=flow.staff.chair,
        case=flow.case,
        regulation=catalogs["lianyungang"],
        reason="行为发生在连云港。",
    )
    assert case.regulation == catalogs["lianyungang"]
    assert case.regulation_change_reason == "行为发生在连云港。"


def test_the_regulation_cannot_change_once_decided(case_at, catalogs):
    flow = case_at(CaseState.DECIDED)
    admin = flow.staff.chair
    with nothing_changes(flow.case), pytest.raises(ValidationError) as error:
        case_regulation_change(
            actor=admin, case=flow.case, regulation=catalogs["lianyungang"], reason="……"
        )
    assert error.value.messages == [str(cases_errors.REGULATION_FIXED_AFTER_DECISION)]
    with pytest.raises(ValidationError) as error:
        case_regulation_change(
            actor=admin, case=flow.case, regulation=catalogs["lianyungang"], reason=" "
        )
    assert error.value.message_dict == {
        "reason": [str(cases_errors.REGULATION_CHANGE_REASON_MISSING)]
    }
