"""Moving a case between stages."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEventType
from audit.services import audit_record
from cases import errors
from cases.extensions import move_effects
from cases.models import Case
from cases.services.deadlines import case_deadline_set
from cases.services.facts import facts_carry_forward
from cases.services.intake import case_number_assign
from cases.services.notices import move_notify
from cases.workflow import MOVES, STAGES, CaseState, move_refusal
from documents.kinds import DocumentKind
from documents.register import document_number_issue
from documents.services import document_request, documents_request_ready


class TransitionRefused(Exception):
    """A move the workflow does not allow now; the message says why, for the
    page."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


TRANSITION_NAMES = tuple(MOVES)


def lock_case(case_id: int) -> Case:
    """The case, its row locked until the transaction ends."""
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("regulation", "unit")
        .get(pk=case_id)
    )


def case_transition(*, actor: User, case_id: int, name: str, reason: str = "") -> Case:
    """Make one workflow move, or raise TransitionRefused / PermissionDenied.
    The row lock makes two concurrent moves queue: the second sees the first's
    result and is refused if its source stage is gone."""
    move = MOVES.get(name)
    if move is None:
        raise TransitionRefused(errors.UNKNOWN_MOVE)
    if move.reason_required and not reason.strip():
        raise TransitionRefused(errors.MOVE_REASON_MISSING)
    with transaction.atomic():
        case = lock_case(case_id)
        method = getattr(case, name)
        if case.state not in move.sources:
            raise TransitionRefused(
                errors.MOVE_NOT_IN_STATE % {"state": case.get_state_display(), "action": move.label}
            )
        # The table's permission and guards (the same the FSM transition
        # carries, which would only answer yes or no).
        if not actor.has_perm(move.permission, case):
            raise PermissionDenied(errors.MAY_NOT_ACT)
        refusal = move_refusal(move, case)
        if refusal:
            raise TransitionRefused(refusal)
        before = case.state
        _before_move(case, name, actor)
        method()
        case.state_entered_at = timezone.now()
        case.deadline_at = None
        case.save()
        audit_record(
            event_type=AuditEventType.CASE_TRANSITIONED,
            actor=actor,
            case=case,
            obj=case,
            summary=f"{move.label}：{CaseState(before).label} → {CaseState(case.state).label}",
            data={"transition": name, "before": before, "after": case.state, "reason": reason},
        )
        _carry_facts_forward(case, before, actor)
        case_deadline_set(case=case)
        try:
            _after_move(case, name, actor)
        except ValidationError as error:
            raise TransitionRefused("；".join(error.messages)) from error
        # The table's notices for the move: created with it, e-mailed once
        # it commits.
        move_notify(case=case, name=name, actor=actor)
    return case


def _carry_facts_forward(case: Case, before: str, actor: User) -> None:
    """A move that opens a new fact-finding stage (per the table) starts it
    from the facts the previous stage established."""
    rule, previous = STAGES[case.state], STAGES[before]
    if rule.facts_open and rule.fact_stage != previous.fact_stage:
        facts_carry_forward(
            actor=actor, case=case, from_stage=previous.fact_stage, to_stage=rule.fact_stage
        )


def _before_move(case: Case, name: str, actor: User) -> None:
    if name == "register":
        case_number_assign(case=case)
    elif name == "start_investigation" and case.lead_investigator_id is None:
        # Whoever opens the investigation leads it and signs the report.
        case.lead_investigator = actor


# How each move's documents (cases.workflow.MOVES) are requested: the intake
# form renders now; the investigation's and the decision's are rendered in the
# background once final, so filing finds them ready and renders only its
# notice; the filing and publication notices are built by their own services.
DOCUMENTS_RENDERED_NOW = {"register"}
DOCUMENTS_READIED = {"submit_for_deliberation", "decide"}


# The documents a move issues: numbered in the unit's register (dated that day).
# (The minutes are numbered when the meeting closes: deliberation.services.)
DOCUMENTS_NUMBERED_BY_MOVE = {"decide": (DocumentKind.DECISION,)}


def _after_move(case: Case, name: str, actor: User) -> None:
    for kind in DOCUMENTS_NUMBERED_BY_MOVE.get(name, ()):
        document_number_issue(case=case, kind=kind, title=str(kind.label), issued_by=actor)
    kinds = MOVES[name].documents
    if name in DOCUMENTS_READIED:
        documents_request_ready(case=case, kinds=kinds, requested_by=actor)
    if name in DOCUMENTS_RENDERED_NOW:
        for kind in kinds:
            document_request(case=case, kind=kind, requested_by=actor)
    # What the stage apps add to a move (cases.extensions), e.g. filing
    # freezes the package sent to the discipline-inspection body.
    for effect in move_effects(name):
        effect(actor=actor, case=case)
