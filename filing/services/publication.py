"""Publication of a no-liability decision within a scope (在一定范围公开,
Tai'an art. 9): the unit, the system, or the public. The case's first
publication is the workflow's `publish` move (its guards: a no-liability
decision, filed first where the regulation says so); later ones add scopes.
A notice is withdrawn (撤回) with a reason, never deleted.

The scope is decided with the determination and filed with it. Publishing
later in a wider scope than the filed package reports re-issues the package
as a new version whose notice says so, with the change (and the reason
given) as its correction reason, and names the liaisons to tell
(filing.services.filing.filing_package_reissue_for_scope).

For the public scope the redacted notice is kept on the publication as
published: the public page reads that and nothing else."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop as _noop

from accounts.models import User
from audit.messages import history_message, term
from audit.models import AuditEventType
from audit.services import audit_record
from cases.models import Case
from cases.services.transitions import TransitionRefused, case_transition, lock_case
from cases.workflow import MOVES, CaseState
from documents.builders.decision import adopted_determinations, publication_notice_context
from documents.kinds import DocumentKind
from documents.package import package_publication_scope, widest_scope
from documents.services import document_request
from filing import errors
from filing.models import Publication, PublicationScope
from filing.models.publication import SCOPE_PHRASES
from filing.services.filing import (
    filing_package_reissue_for_scope,
    publication_notice_number_issue,
)

PUBLISH_PERMISSION = "cases.publish_case"
# The first publication makes the `publish` move from these states.
BEFORE_PUBLICATION = MOVES["publish"].sources


def public_notice_content(case: Case) -> dict:
    """The redacted notice as the public page shows it: plain JSON, built
    from the public publication notice (names, certificate numbers and other
    personal data already masked there)."""
    context = publication_notice_context(case, scope=PublicationScope.PUBLIC)
    return {
        "title": context["title"],
        "case_number": case.display_number,
        "unit": case.unit.name,
        "incident_date": context["incident_date"],
        "incident_place": context["incident_place"],
        "incident_summary": context["incident_summary"],
        "signed_on": context["signed_on"],
        "any_no_liability": context["any_no_liability"],
        "officers": [
            {
                "name": o.name,
                "outcome": o.outcome_label,
                "measure": o.measure_label,
                "sanction": o.sanction,
                "reasons": o.reasons,
                "citations": [
                    {"heading": f"依据{c.heading}：", "text": c.quotation} for c in o.citations
                ],
            }
            for o in context["officers"]
        ],
    }


def publication_record(*, actor: User, case: Case, scope: str, reason: str = "") -> Publication:
    """Publish the case's no-liability decision within `scope` and request
    its notice. The first publication moves the case to published in the same
    transaction (refused with the workflow's reason, e.g. not yet filed);
    another scope may be added later; a scope already in force is refused.
    A scope wider than the filed package reports (the one decided with the
    determination) re-issues the package as a new version, with the change
    and `reason` as its correction reason, and tells the liaison."""
    if not actor.has_perm(PUBLISH_PERMISSION, case):
        raise PermissionDenied(errors.MAY_NOT_PUBLISH)
    if scope not in PublicationScope.values:
        raise ValidationError({"scope": errors.SCOPE_MISSING})
    phrase = SCOPE_PHRASES[scope]
    with transaction.atomic():
        case = lock_case(case.pk)
        if case.publications.filter(scope=scope, withdrawn_at__isnull=True).exists():
            raise ValidationError({"scope": errors.ALREADY_PUBLISHED_IN_SCOPE % {"phrase": phrase}})
        scope_before = package_publication_scope(case, adopted_determinations(case))
        moved = case.state in BEFORE_PUBLICATION
        if moved:
            try:
                case_transition(actor=actor, case_id=case.pk, name="publish")
            except TransitionRefused as refusal:
                raise ValidationError(refusal.message) from refusal
            case = lock_case(case.pk)
        elif case.state != CaseState.PUBLISHED:
            raise ValidationError(errors.PUBLISH_NOT_IN_STATE % {"state": case.get_state_display()})
        publication_notice_number_issue(actor=actor, case=case, scope=scope)
        content = public_notice_content(case) if scope == PublicationScope.PUBLIC else {}
        notice = document_request(
            case=case,
            kind=DocumentKind.PUBLICATION_NOTICE,
            requested_by=actor,
            options={"scope": scope},
        )
        publication = Publication.objects.create(
            case=case,
            scope=scope,
            published_by=actor,
            notice=notice,
            public_notice=content,
        )
        audit_record(
            event_type=AuditEventType.PUBLICATION_RECORDED,
            actor=actor,
            case=case,
            obj=publication,
            summary=history_message(_noop("不予追究责任的决定%(phrase)s"), phrase=term(phrase)),
            data={"scope": scope, "notice": notice.pk, "publish_move": moved},
        )
        if widest_scope(scope_before, scope) != scope_before and case.filing_packages.exists():
            filing_package_reissue_for_scope(
                actor=actor, case=case, previous_scope=scope_before, scope=scope, reason=reason
            )
    return publication


def publication_withdraw(*, actor: User, publication: Publication, reason: str) -> Publication:
    """Withdraw a notice (撤回): recorded with who, when and why; the row is
    kept, and a public notice leaves the public page."""
    case = publication.case
    if not actor.has_perm(PUBLISH_PERMISSION, case):
        raise PermissionDenied(errors.MAY_NOT_WITHDRAW_PUBLICATION)
    if not reason.strip():
        raise ValidationError({"reason": errors.WITHDRAWAL_REASON_MISSING})
    with transaction.atomic():
        lock_case(case.pk)
        publication = Publication.objects.select_for_update().get(pk=publication.pk)
        if publication.is_withdrawn:
            raise ValidationError(errors.ALREADY_WITHDRAWN)
        publication.withdrawn_at = timezone.now()
        publication.withdrawn_by = actor
        publication.withdrawal_reason = reason.strip()
        publication.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
        audit_record(
            event_type=AuditEventType.PUBLICATION_WITHDRAWN,
            actor=actor,
            case=case,
            obj=publication,
            summary=history_message(
                _noop("撤回公开（%(scope)s）"), scope=term(publication.get_scope_display())
            ),
            data={"scope": publication.scope, "reason": publication.withdrawal_reason},
        )
    return publication


# --- reads for the public page ----------------------------------------------------------


def public_notices() -> QuerySet[Publication]:
    """Notices published to the public and not withdrawn, newest first. Only
    the redacted content and the dates are read."""
    return Publication.objects.filter(
        scope=PublicationScope.PUBLIC, withdrawn_at__isnull=True
    ).only("id", "published_at", "public_notice", "notice_id")


def public_notice(publication_id: int) -> Publication:
    """One public notice in force; Publication.DoesNotExist otherwise."""
    return public_notices().get(pk=publication_id)
