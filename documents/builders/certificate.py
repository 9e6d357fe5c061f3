"""The no-impact certificate (不受影响证明; Tai'an art. 13, Lianyungang
art. 20) for an officer whose case ended exempt or no-fault."""

from __future__ import annotations

from django.utils import timezone

from cases.models import Case, SubjectOfficer
from deliberation.models import Determination
from documents import errors
from documents.formatting import chinese_date
from documents.kinds import DocumentKind
from documents.official import official_case_fields
from documents.register import document_number
from documents.registry import document_kind
from documents.wording import outcome_wording
from exemptions.citations import Citation, clause_citation
from exemptions.selectors import catalog_for_version
from vindication.selectors import (
    DECIDED_STATES,
    NO_LIABILITY,
    determination_date,
    final_determination,
    protection_article,
)


def certificate_determination(case: Case, subject_officer_id: int) -> Determination:
    """The final no-liability determination of the officer, or ValueError
    saying why no certificate can be issued."""
    subject = (
        SubjectOfficer.objects.filter(case=case, pk=subject_officer_id)
        .select_related("officer")
        .first()
    )
    if subject is None:
        raise ValueError(str(errors.CERTIFICATE_NOT_A_SUBJECT))
    name = subject.officer.name
    if case.state not in DECIDED_STATES:
        raise ValueError(errors.CERTIFICATE_CASE_NOT_DECIDED % {"name": name})
    determination = final_determination(case, subject.pk)
    if determination is None:
        raise ValueError(errors.CERTIFICATE_NO_DETERMINATION % {"name": name})
    if determination.outcome not in NO_LIABILITY:
        raise ValueError(
            errors.CERTIFICATE_NOT_NO_LIABILITY
            % {"name": name, "outcome": determination.get_outcome_display()}
        )
    return determination


def _citations(determination: Determination) -> list[Citation]:
    version = determination.regulation
    catalog = catalog_for_version(version)
    return [
        clause_citation(ref, catalog, version.title)
        for ref in determination.cited_clauses
        if ref in catalog.by_ref
    ]


@document_kind(DocumentKind.NO_IMPACT_CERTIFICATE, "documents/no_impact_certificate.html")
def no_impact_certificate_context(case: Case, subject_officer_id: int) -> dict:
    """The certificate (不受影响证明) that an officer's exempt or no-fault
    determination does not affect appraisal, awards, selection and
    promotion, under the no-impact article of the catalogue version the case
    was decided under. Numbered and dated when it is requested."""
    determination = certificate_determination(case, subject_officer_id)
    version = determination.regulation
    article = protection_article(version, "no_impact")
    if article is None:
        raise ValueError(errors.CERTIFICATE_NO_ARTICLE % {"title": version.title})
    subject = SubjectOfficer.objects.select_related("officer__unit").get(pk=subject_officer_id)
    officer = subject.officer
    entry = document_number(case, DocumentKind.NO_IMPACT_CERTIFICATE, subject_officer_id)
    return official_case_fields(
        case,
        doc_number=entry.number if entry else "",
        signed_on=chinese_date(entry.issued_on if entry else timezone.localdate()),
        title=f"关于{officer.name}同志不受影响的证明",
        officer=officer,
        part=subject.get_part_display(),
        determination=determination,
        decided_on=chinese_date(determination_date(determination)),
        outcome_label=determination.get_outcome_display(),
        outcome_phrase=outcome_wording(determination),
        citations=_citations(determination),
        article=article,
    )
