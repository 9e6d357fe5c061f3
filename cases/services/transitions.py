"""Moving a case between stages."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import AuditEventType
from audit.services import audit_record
from cases.models import Case
from cases.services.deadlines import case_deadline_set
from cases.services.intake import case_number_assign
from cases.workflow import TRANSITION_LABELS, CaseState
from documents.kinds import DocumentKind
from documents.register import document_number_issue
from documents.services import document_request, documents_request_ready


class TransitionRefused(Exception):
    """A move the workflow does not allow now; the message says why, for the
    page."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


TRANSITION_NAMES = tuple(TRANSITION_LABELS)
# Moves that need a written reason.
REASON_REQUIRED = {"withdraw"}


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
    if name not in TRANSITION_NAMES:
        raise TransitionRefused(_("未知的操作。"))
    if name in REASON_REQUIRED and not reason.strip():
        raise TransitionRefused(_("请写明理由。"))
    with transaction.atomic():
        case = lock_case(case_id)
        method = getattr(case, name)
        from_here = [
            t for t in case.get_all_state_transitions() if t.name == name and t.source == case.state
        ]
        if not from_here:
            raise TransitionRefused(
                _("案件当前处于“%(state)s”阶段，不能执行“%(action)s”。")
                % {"state": case.get_state_display(), "action": TRANSITION_LABELS[name]}
            )
        # The transition's own permission check (django-fsm's
        # has_transition_perm also checks the guards, which must answer with
        # their reason instead).
        if not from_here[0].has_perm(case, actor):
            raise PermissionDenied(_("您无权执行此操作。"))
        for check in from_here[0].conditions:
            refusal = check.guard(case)
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
            summary=f"{TRANSITION_LABELS[name]}：{CaseState(before).label} → "
            f"{CaseState(case.state).label}",
            data={"transition": name, "before": before, "after": case.state, "reason": reason},
        )
        case_deadline_set(case=case)
        try:
            _after_move(case, name, actor)
        except ValidationError as error:
            raise TransitionRefused("；".join(error.messages)) from error
    return case


def _before_move(case: Case, name: str, actor: User) -> None:
    if name == "register":
        case_number_assign(case=case)
    elif name == "start_investigation" and case.lead_investigator_id is None:
        # Whoever opens the investigation leads it and signs the report.
        case.lead_investigator = actor


# The documents whose contents are final once the move is made: rendered in
# the background then, so filing finds them ready and renders only its notice.
DOCUMENTS_AFTER_MOVE = {
    "submit_for_deliberation": (DocumentKind.INVESTIGATION_REPORT, DocumentKind.EXPERT_OPINION),
    "decide": (DocumentKind.MINUTES, DocumentKind.DECISION),
}


# The documents a move issues: numbered in the unit's register (dated that day).
# (The minutes are numbered when the meeting closes: reviews.services.decision.)
DOCUMENTS_NUMBERED_BY_MOVE = {"decide": (DocumentKind.DECISION,)}


def _after_move(case: Case, name: str, actor: User) -> None:
    for kind in DOCUMENTS_NUMBERED_BY_MOVE.get(name, ()):
        document_number_issue(case=case, kind=kind, title=str(kind.label), issued_by=actor)
    if name in DOCUMENTS_AFTER_MOVE:
        documents_request_ready(case=case, kinds=DOCUMENTS_AFTER_MOVE[name], requested_by=actor)
    if name == "register":
        document_request(case=case, kind=DocumentKind.INTAKE_FORM, requested_by=actor)
    elif name == "file":
        # Filing freezes the package sent to the discipline-inspection body;
        # imported here because the reviews app builds on this module.
        from reviews.services.filing import filing_package_build

        filing_package_build(actor=actor, case=case)
