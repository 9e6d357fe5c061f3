"""Context builders for the documents sent to the discipline-inspection and
supervision organs: the transfer letter (移送函, Lianyungang art. 13) and the
written opinion on whether the officers performed their duties (依法履职情况
书面意见, Tai'an art. 9 para. 3, Lianyungang art. 14).

Pure reads; each raises ValueError (in Chinese) when the case has no such
record, and returns the official-document fields of
templates/documents/official.html besides its own."""

from __future__ import annotations

from django.db.models import Prefetch

from cases.models import Case
from documents import errors
from documents.builders.decision import incident_sentence, tally_text
from documents.formatting import chinese_date, chinese_numeral
from documents.kinds import DocumentKind
from documents.official import official_case_fields
from documents.register import document_number
from documents.registry import document_kind, document_spec
from documents.wording import outcome_wording
from exemptions.citations import article_where
from exemptions.models import Article, RegulationVersion
from filing.models import DisciplineTransfer, DutyOpinion, DutyOpinionItem
from investigation.models import InvestigationReport

# The documents of the case file sent with a transfer, in reading order.
CASE_FILE_KINDS = (
    DocumentKind.INTAKE_FORM,
    DocumentKind.INVESTIGATION_REPORT,
    DocumentKind.EXPERT_OPINION,
    DocumentKind.MINUTES,
    DocumentKind.DECISION,
)


# The opinion on each officer, as the clauses of one sentence.
DUTY_SENTENCES = {
    "performed": "已依法履行职责",
    "partly": "未完全依法履行职责",
    "not_performed": "未依法履行职责",
    "undetermined": "是否依法履职尚难认定",
}
FAULT_SENTENCES = {
    "none": "不存在行政执法过错行为",
    "fault": "存在行政执法过错行为",
    "undetermined": "是否存在行政执法过错行为尚难认定",
}


def article_text(version: RegulationVersion, rule: str) -> tuple[str, str]:
    """('第十三条', its text) for the article a procedure rule of the version
    cites, or ('', '') when it cites none."""
    number = (version.procedure.get(rule) or {}).get("article")
    if not number:
        return "", ""
    article = Article.objects.filter(version=version, number=number).first()
    return article_where(number), article.text if article else ""


def case_file(case: Case) -> list[str]:
    """The case file listed as a transfer's attachments: every document the
    case has a record for (as the filing package decides it: its builder
    succeeds), with its page count once rendered, then the evidence files."""
    rendered = {}
    for document in case.documents.filter(status="done").order_by("kind", "-requested_at"):
        rendered.setdefault(document.kind, document)
    items = []
    for kind in CASE_FILE_KINDS:
        try:
            document_spec(kind).build(case)
        except ValueError:
            continue
        document = rendered.get(kind)
        pages = f"（{document.page_count}页）" if document and document.page_count else ""
        items.append(f"{kind.label}{pages}")
    for evidence in case.evidence.order_by("id"):
        description = f"（{evidence.description}）" if evidence.description else ""
        items.append(f"证据材料：{evidence.original_name}{description}")
    return items


def _officer_line(subject_officer) -> dict:
    officer = subject_officer.officer
    return {
        "name": officer.name,
        "post": officer.post,
        "certificate": officer.certificate_number,
        "part": subject_officer.get_part_display(),
    }


@document_kind(DocumentKind.TRANSFER_LETTER, "documents/transfer_letter.html")
def transfer_letter_context(case: Case, subject_officer_id: int | None = None) -> dict:
    """The transfer letter for one officer's matter (the case's first
    transfer when no officer is given)."""
    transfers = DisciplineTransfer.objects.filter(case=case).select_related(
        "subject_officer__officer",
        "determination__meeting",
        "determination__regulation",
        "recorded_by",
    )
    if subject_officer_id is not None:
        transfers = transfers.filter(subject_officer_id=subject_officer_id)
    transfer = transfers.order_by("-recorded_at", "-pk").first()
    if transfer is None:
        raise ValueError(str(errors.NOT_TRANSFERRED))
    determination = transfer.determination
    officer = _officer_line(transfer.subject_officer)
    where, text = article_text(determination.regulation, "transfer_to_discipline_organs")
    signed_on = chinese_date(transfer.transferred_on)
    meeting = determination.meeting
    entry = document_number(case, DocumentKind.TRANSFER_LETTER, transfer.subject_officer_id)
    return {
        **official_case_fields(case, doc_number=entry.number if entry else "", signed_on=signed_on),
        "title": f"关于移送{officer['name']}涉嫌违纪违法问题线索的函",
        "addressee": transfer.organ_name,
        "transfer": transfer,
        "officer": officer,
        "determination": determination,
        "regulation_title": determination.regulation.title,
        "article_where": where,
        "article_text": text,
        "meeting_held_on": chinese_date(meeting.held_on),
        "meeting_place": meeting.place,
        "tally_text": tally_text(determination.tally or {}),
        "report": InvestigationReport.objects.filter(case=case).first(),
        "incident_sentence": incident_sentence(case),
        "outcome_phrase": outcome_wording(determination),
        "contact": transfer.recorded_by.get_full_name(),
        "attachments": case_file(case),
    }


@document_kind(DocumentKind.DUTY_OPINION, "documents/duty_opinion.html")
def duty_opinion_context(case: Case, opinion_id: int | None = None) -> dict:
    """The written opinion for the intervening organs (the case's latest when
    none is given)."""
    opinions = (
        DutyOpinion.objects.filter(case=case)
        .select_related("signed_by")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=DutyOpinionItem.objects.select_related("subject_officer__officer"),
            )
        )
    )
    if opinion_id is not None:
        opinions = opinions.filter(pk=opinion_id)
    opinion = opinions.order_by("-recorded_at", "-pk").first()
    if opinion is None:
        raise ValueError(str(errors.NO_DUTY_OPINION))
    where, text = article_text(case.regulation, "intervention_opinion")
    items = [
        {
            **_officer_line(item.subject_officer),
            "number": chinese_numeral(index),
            "duty_performed": item.get_duty_performed_display(),
            "fault": item.get_fault_display(),
            "duty_sentence": DUTY_SENTENCES[item.duty_performed],
            "fault_sentence": FAULT_SENTENCES[item.fault],
            "reasoning": item.reasoning,
        }
        for index, item in enumerate(opinion.items.all(), start=1)
    ]
    entry = document_number(case, DocumentKind.DUTY_OPINION, opinion.pk)
    return {
        **official_case_fields(
            case,
            doc_number=entry.number if entry else "",
            signed_on=chinese_date(opinion.issued_on),
        ),
        "title": f"关于{case.display_number}案件有关执法人员依法履职情况的书面意见",
        "addressee": opinion.organ_name,
        "opinion": opinion,
        "signer": opinion.signed_by.get_full_name(),
        "issuing_officer": opinion.signed_by.get_full_name(),
        "items": items,
        "regulation_title": case.regulation.title,
        "article_where": where,
        "article_text": text,
        "incident_sentence": incident_sentence(case),
    }
