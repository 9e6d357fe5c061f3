"""The flow of a protection request (Lianyungang art. 18) as one table, in the
form of the case workflow (cases.flows): submitted → coordinating with the
police → measures taken → closed. protections.services.protection checks
every move against it; `manage.py workflow --markdown` prints it."""

from django.utils.translation import gettext_lazy

from cases.flows import Flow, FlowActor, FlowMove, FlowState, flow_guard_always
from protections import errors
from protections.models import ProtectionRequest, ProtectionStatus

OFFICER = "officer"
HANDLER = "handler"


def guard_police_contact_recorded(protection: ProtectionRequest) -> str | None:
    """Measures are confirmed only once a contact with the police is recorded."""
    if not protection.police_coordinations.exists():
        return str(errors.NO_POLICE_RECORD)
    return None


def refused_from_status(protection: ProtectionRequest, move: FlowMove) -> str:
    return str(errors.MOVE_NOT_FROM_HERE) % {
        "status": protection.get_status_display(),
        "move": move.label,
    }


FLOW = Flow(
    key="protection",
    title="Protection requests (保护申请)",
    source="protections/workflow.py",
    state_field="status",
    choices=ProtectionStatus,
    initial=ProtectionStatus.SUBMITTED,
    created_by=OFFICER,
    actors={
        actor.key: actor
        for actor in (
            FlowActor(
                OFFICER,
                gettext_lazy("行政执法人员本人"),
                "protections.request_protection",
            ),
            FlowActor(
                HANDLER,
                gettext_lazy("保护申请承办人"),
                "protections.handle_protection",
                designation=gettext_lazy("保护申请承办人"),
            ),
        )
    },
    states={
        rule.state: rule
        for rule in (
            FlowState(
                ProtectionStatus.SUBMITTED,
                (HANDLER,),
                gettext_lazy("开始协调公安机关"),
            ),
            FlowState(
                ProtectionStatus.COORDINATING,
                (HANDLER,),
                gettext_lazy("记录协调情况，确认已采取保护措施或办结"),
            ),
            FlowState(
                ProtectionStatus.MEASURES_TAKEN,
                (HANDLER,),
                gettext_lazy("记录协调情况，办结"),
            ),
            FlowState(ProtectionStatus.CLOSED, final=True),
        )
    },
    moves={
        move.name: move
        for move in (
            FlowMove(
                "coordinate",
                gettext_lazy("开始协调公安机关"),
                (ProtectionStatus.SUBMITTED,),
                (ProtectionStatus.COORDINATING,),
                HANDLER,
                (flow_guard_always,),
            ),
            FlowMove(
                "measures_taken",
                gettext_lazy("确认已采取保护措施"),
                (ProtectionStatus.COORDINATING,),
                (ProtectionStatus.MEASURES_TAKEN,),
                HANDLER,
                (guard_police_contact_recorded,),
            ),
            FlowMove(
                "close",
                gettext_lazy("办结"),
                (ProtectionStatus.COORDINATING, ProtectionStatus.MEASURES_TAKEN),
                (ProtectionStatus.CLOSED,),
                HANDLER,
                (flow_guard_always,),
            ),
        )
    },
    refusal=refused_from_status,
    unknown_move=errors.UNKNOWN_MOVE,
)

# Contacts with the police are recorded while the handler coordinates.
POLICE_RECORD_STATES = frozenset({ProtectionStatus.COORDINATING, ProtectionStatus.MEASURES_TAKEN})
