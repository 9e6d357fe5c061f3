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
}
