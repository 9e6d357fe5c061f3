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
from vindication.models import ClarificationRecord

State = ClarificationRecord.State

# Refusals a user can meet, asserted by the tests.
FINAL_MESSAGES = {
    State.NOTICE_ISSUED: gettext_lazy("澄清正名通知已发布，记录不能再更改。"),
    State.SUBSTANTIATED: gettext_lazy("经核实反映属实，记录已了结，不能再更改。"),
    State.CLOSED: gettext_lazy("记录已了结（不予澄清），不能再更改。"),
}
MSG_ALREADY_FOUND = gettext_lazy("已记录核实结论，不能重复记录。")
MSG_DECIDE_BEFORE_FINDING = gettext_lazy("尚未核实反映不实，不能决定澄清正名。")
MSG_ISSUE_BEFORE_DECISION = gettext_lazy("尚未决定澄清正名，不能发布澄清正名通知。")
MSG_CLOSE_AFTER_DECISION = gettext_lazy("已决定澄清正名，不能再了结为不予澄清。")
MSG_UNKNOWN_MOVE = gettext_lazy("没有这个办理操作。")

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
                refusal=MSG_ALREADY_FOUND,
            ),
            # Deciding again (before the notice) corrects the decision.
            FlowMove(
                "decide",
                gettext_lazy("决定澄清正名"),
                (State.FOUND_UNTRUE, State.CLARIFICATION_DECIDED),
                (State.CLARIFICATION_DECIDED,),
                MANAGER,
                (flow_guard_always,),
                refusal=MSG_DECIDE_BEFORE_FINDING,
            ),
            FlowMove(
                "issue",
                gettext_lazy("发布澄清正名通知"),
                (State.CLARIFICATION_DECIDED,),
                (State.NOTICE_ISSUED,),
                MANAGER,
                (flow_guard_always,),
                refusal=MSG_ISSUE_BEFORE_DECISION,
            ),
            FlowMove(
                "close",
                gettext_lazy("了结，不予澄清"),
                (State.RECORDED, State.FOUND_UNTRUE),
                (State.CLOSED,),
                MANAGER,
                (flow_guard_always,),
                refusal=MSG_CLOSE_AFTER_DECISION,
            ),
        )
    },
    refusal=refused_from_state,
    unknown_move=MSG_UNKNOWN_MOVE,
)
