"""Context builders for the officers' protection documents: the clarification
notice (澄清正名通知; Tai'an art. 11, Lianyungang art. 17) and the no-impact
certificate (不受影响证明; Tai'an art. 13, Lianyungang art. 20).

Pure reads; each returns the official-document fields of
templates/documents/official.html besides its own, and raises ValueError with
a Chinese message when the document cannot be issued."""

from __future__ import annotations

from django.utils import timezone

from cases.documents import chinese_date
from cases.models import Case, SubjectOfficer
from documents.official import official_fields
from exemptions.selectors import catalog_for_version
from reviews.filing_documents import Citation, clause_citation
from reviews.models import Determination, Outcome
from vindication.models import ClarificationRecord, PublicationScope
from vindication.selectors import (
    DECIDED_STATES,
    NO_LIABILITY,
    determination_date,
    final_determination,
    protection_article,
)

ADDRESSEES = {
    PublicationScope.UNIT: "本局各科室、各直属单位",
    PublicationScope.SYSTEM: "全市市场监督管理系统各单位",
    PublicationScope.PUBLIC: "",
}
SCOPE_PHRASES = {
    PublicationScope.UNIT: "在本单位范围内公开",
    PublicationScope.SYSTEM: "在本系统范围内公开",
    PublicationScope.PUBLIC: "向社会公开",
}
OUTCOME_PHRASES = {
    Outcome.EXEMPT: "不予追究责任",
    Outcome.NO_FAULT: "不构成执法过错，不予追究责任",
}


# --- the clarification notice ------------------------------------------------------------


def clarification_notice_context(record: ClarificationRecord) -> dict:
    """The notice for a record whose clarification has been decided (its
    decision fields set, saved or not)."""
    if not (record.decided_on and record.scope and record.found_on):
        raise ValueError("尚未核实反映不实并决定澄清正名，不能生成澄清正名通知。")
    article = protection_article(record.regulation, "clarification")
    if article is None:
        raise ValueError(f"《{record.regulation.title}》中没有澄清正名的条款。")
    officers = list(record.officers.all())
    names = "、".join(o.name for o in officers)
    signed_on = chinese_date(record.decided_on)
    public = record.scope == PublicationScope.PUBLIC
    return official_fields(
        record.unit.name,
        unit=record.unit,
        doc_number=record.number,
        signed_on=signed_on,
        title=f"关于为{names}同志澄清正名的{'公告' if public else '通知'}",
        addressee=ADDRESSEES[record.scope],
        record=record,
        officers=officers,
        names=names,
        received_on=chinese_date(record.received_on),
        found_on=chinese_date(record.found_on),
        decided_on=signed_on,
        channel=record.get_channel_display(),
        kind=record.get_kind_display(),
        article=article,
        scope_phrase=SCOPE_PHRASES[record.scope],
        public=public,
    )


# --- the no-impact certificate -----------------------------------------------------------


def certificate_determination(case: Case, subject_officer_id: int) -> Determination:
    """The final no-liability determination of the officer, or ValueError
    saying why no certificate can be issued."""
    subject = (
        SubjectOfficer.objects.filter(case=case, pk=subject_officer_id)
        .select_related("officer")
        .first()
    )
    if subject is None:
        raise ValueError("该执法人员不是本案的涉案执法人员。")
    name = subject.officer.name
    if case.state not in DECIDED_STATES:
        raise ValueError(f"案件尚未作出决定，不能为{name}出具不受影响证明。")
    determination = final_determination(case, subject.pk)
    if determination is None:
        raise ValueError(f"{name}尚无表决通过的责任认定，不能出具不受影响证明。")
    if determination.outcome not in NO_LIABILITY:
        raise ValueError(
            f"{name}的认定结果为“{determination.get_outcome_display()}”，"
            "不属于不予追究责任的情形，不能出具不受影响证明。"
        )
    return determination


def _citations(determination: Determination) -> list[Citation]:
    version = determination.regulation
    catalog = catalog_for_version(version)
    citations = []
    for ref in determination.cited_clauses:
        clause = catalog.by_ref.get(ref)
        if clause is not None:
            # An enumerated item reads as part of a sentence (…的): close it.
            text = clause.text if clause.text.endswith(("。", "；")) else clause.text + "。"
            citations.append(
                Citation(ref, version.title, clause_citation(ref, clause.article), text)
            )
    return citations


def no_impact_certificate_context(case: Case, subject_officer_id: int) -> dict:
    """The certificate (不受影响证明) that an officer's exempt or no-fault
    determination does not affect appraisal, awards, selection and
    promotion, under the no-impact article of the catalogue version the case
    was decided under."""
    determination = certificate_determination(case, subject_officer_id)
    version = determination.regulation
    article = protection_article(version, "no_impact")
    if article is None:
        raise ValueError(f"《{version.title}》中没有不受影响的条款，不能出具证明。")
    subject = SubjectOfficer.objects.select_related("officer__unit").get(pk=subject_officer_id)
    officer = subject.officer
    today = chinese_date(timezone.localdate())
    return official_fields(
        case.unit.name,
        unit=case.unit,
        doc_number=case.display_number,
        signed_on=today,
        title=f"关于{officer.name}同志不受影响的证明",
        case=case,
        officer=officer,
        part=subject.get_part_display(),
        determination=determination,
        decided_on=chinese_date(determination_date(determination)),
        outcome_label=determination.get_outcome_display(),
        outcome_phrase=OUTCOME_PHRASES[determination.outcome],
        citations=_citations(determination),
        article=article,
    )
