"""The flow of a clarification record (澄清正名; Tai'an art. 11, Lianyungang
art. 17) as one table, in the form of the case workflow (cases.flows):

    recorded → found_untrue → clarification_decided → notice_issued
    recorded → substantiated
    recorded | found_untrue → closed (without clarification)

vindication.services checks every move against it; `manage.py workflow
--markdown` prints it."""

from django.utils.translation import gettext_lazy

from accounts.roles import Role
from cases.flows import Flow, FlowActor, FlowMove, FlowState, flow_guard_always
from vindication import errors
from vindication.models import ClarificationRecord

State = ClarificationRecord.State

# Refusals a user can meet (named in vindication.errors).
FINAL_MESSAGES = {
    State.NOTICE_ISSUED: errors.FINAL_NOTICE_ISSUED,
    State.SUBSTANTIATED: errors.FINAL_SUBSTANTIATED,
    State.CLOSED: errors.FINAL_CLOSED,
}

RECORDER = "recorder"
MANAGER = "manager"
LEADERSHIP = (Role.LEADERSHIP_MEMBER, Role.LEADERSHIP_CHAIR)


def refused_from_state(record: ClarificationRecord, move: FlowMove) -> str:
    """A final state answers with its own message, any other with the move's."""
    return str(FINAL_MESSAGES.get(record.state) or move.refusal)


FLOW = Flow(
    key="clarification",
    title="Clarification records (澄清正名)",
    source="vindication/workflow.py",
    state_field="state",
    choices=State,
    initial=State.RECORDED,
    created_by=RECORDER,
    actors={
        actor.key: actor
        for actor in (
            FlowActor(
                RECORDER,
                gettext_lazy("所在单位或上级单位的领导班子成员"),
                "vindication.add_clarification_in_unit",
                roles=LEADERSHIP,
            ),
            # Never an officer the accusation concerns (the rule excludes them).
            FlowActor(
                MANAGER,
                gettext_lazy("领导班子成员（被反映的执法人员本人除外）"),
                "vindication.manage_clarification",
                roles=LEADERSHIP,
            ),
        )
    },
    states={
        rule.state: rule
        for rule in (
            FlowState(
                State.RECORDED,
                (MANAGER,),
                gettext_lazy("记录核实结论，或了结不予澄清"),
            ),
            FlowState(
                State.FOUND_UNTRUE,
                (MANAGER,),
                gettext_lazy("决定澄清正名及公开范围，或了结不予澄清"),
            ),
            FlowState(
                State.CLARIFICATION_DECIDED,
                (MANAGER,),
                gettext_lazy("发布澄清正名通知（发布前可重新决定）"),
            ),
            FlowState(State.SUBSTANTIATED, final=True),
            FlowState(State.NOTICE_ISSUED, final=True),
            FlowState(State.CLOSED, final=True),
        )
    },
    moves={
        move.name: move
        for move in (
            FlowMove(
                "find",
                gettext_lazy("记录核实结论"),
                (State.RECORDED,),
                (State.FOUND_UNTRUE, State.SUBSTANTIATED),
                MANAGER,
                (flow_guard_always,),
                refusal=errors.ALREADY_FOUND,
            ),
            # Deciding again (before the notice) corrects the decision.
            FlowMove(
                "decide",
                gettext_lazy("决定澄清正名"),
                (State.FOUND_UNTRUE, State.CLARIFICATION_DECIDED),
                (State.CLARIFICATION_DECIDED,),
                MANAGER,
                (flow_guard_always,),
                refusal=errors.DECIDE_BEFORE_FINDING,
            ),
            FlowMove(
                "issue",
                gettext_lazy("发布澄清正名通知"),
                (State.CLARIFICATION_DECIDED,),
                (State.NOTICE_ISSUED,),
                MANAGER,
                (flow_guard_always,),
                refusal=errors.ISSUE_BEFORE_DECISION,
            ),
            FlowMove(
                "close",
                gettext_lazy("了结，不予澄清"),
                (State.RECORDED, State.FOUND_UNTRUE),
                (State.CLOSED,),
                MANAGER,
                (flow_guard_always,),
                refusal=errors.CLOSE_AFTER_DECISION,
            ),
        )
    },
    refusal=refused_from_state,
    unknown_move=errors.UNKNOWN_MOVE,
)
