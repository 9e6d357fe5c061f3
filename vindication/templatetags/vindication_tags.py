"""The no-impact certificate panel on the case page (included by
templates/vindication/_case_panel.html), built from what the case page has
already prefetched: no query per officer."""

from dataclasses import dataclass

from django import template

from cases.models import Case, SubjectOfficer
from deliberation.models import Determination
from documents.kinds import DocumentKind
from documents.models import Document
from vindication.selectors import NO_LIABILITY, final_determination
from vindication.services import may_request_certificate

register = template.Library()


@dataclass(frozen=True)
class CertificateRow:
    subject_officer: SubjectOfficer
    determination: Determination
    document: Document | None
    can_request: bool


def certificate_panel_context(case: Case, user) -> dict:
    """One row per subject officer whose final outcome is exempt or no fault,
    with the newest certificate requested for them."""
    determinations = list(case.determinations.all())
    newest: dict[int, Document] = {}
    for document in sorted(case.documents.all(), key=lambda d: (d.requested_at, d.pk)):
        if document.kind == DocumentKind.NO_IMPACT_CERTIFICATE:
            newest[(document.options or {}).get("subject_officer_id")] = document
    rows = []
    for subject in case.subject_officers.all():
        determination = final_determination(case, subject.pk, determinations)
        if determination is None or determination.outcome not in NO_LIABILITY:
            continue
        rows.append(
            CertificateRow(
                subject_officer=subject,
                determination=determination,
                document=newest.get(subject.pk),
                can_request=may_request_certificate(user, case, subject),
            )
        )
    return {
        "case": case,
        "rows": rows,
        "polling": any(r.document and not r.document.is_finished for r in rows),
    }


@register.inclusion_tag("vindication/_certificate_panel.html", takes_context=True)
def no_impact_panel(context, case):
    request = context["request"]
    return {
        **certificate_panel_context(case, request.user),
        "csrf_token": context.get("csrf_token"),
    }
