"""The kinds of official document Jinzhi renders, and how to build each."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    INTAKE_FORM = "intake_form", _("立案登记表")
    INVESTIGATION_REPORT = "investigation_report", _("调查报告")
    EXPERT_OPINION = "expert_opinion", _("专家组书面论证意见")
    MINUTES = "minutes", _("集体研究纪要")
    DECISION = "decision", _("责任认定决定书")
    FILING_NOTICE = "filing_notice", _("备案报告")
    PUBLICATION_NOTICE = "publication_notice", _("公开通知")
    TRANSFER_LETTER = "transfer_letter", _("移送函")
    DUTY_OPINION = "duty_opinion", _("依法履职情况书面意见")
    NO_IMPACT_CERTIFICATE = "no_impact_certificate", _("不受影响证明")


# kind -> (template, dotted path of the context builder taking the case)
DOCUMENT_SPECS = {
    DocumentKind.INTAKE_FORM: (
        "documents/intake_form.html",
        "cases.documents.intake_form_context",
    ),
    DocumentKind.INVESTIGATION_REPORT: (
        "documents/investigation_report.html",
        "reviews.documents.investigation_report_context",
    ),
    DocumentKind.EXPERT_OPINION: (
        "documents/expert_opinion.html",
        "reviews.documents.expert_opinion_context",
    ),
    DocumentKind.MINUTES: (
        "documents/minutes.html",
        "reviews.documents.minutes_context",
    ),
    DocumentKind.DECISION: (
        "documents/decision.html",
        "reviews.filing_documents.decision_context",
    ),
    DocumentKind.FILING_NOTICE: (
        "documents/filing_notice.html",
        "reviews.filing_documents.filing_notice_context",
    ),
    DocumentKind.PUBLICATION_NOTICE: (
        "documents/publication_notice.html",
        "reviews.filing_documents.publication_notice_context",
    ),
    DocumentKind.TRANSFER_LETTER: (
        "documents/transfer_letter.html",
        "reviews.transfer_documents.transfer_letter_context",
    ),
    DocumentKind.DUTY_OPINION: (
        "documents/duty_opinion.html",
        "reviews.transfer_documents.duty_opinion_context",
    ),
    # options: {"subject_officer_id": …}
    DocumentKind.NO_IMPACT_CERTIFICATE: (
        "documents/no_impact_certificate.html",
        "vindication.documents.no_impact_certificate_context",
    ),
}
