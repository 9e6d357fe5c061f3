"""The kinds of official document Jinzhi renders. Each kind's template and
context builder are registered in documents.builders (documents.registry)."""

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
    EVIDENCE_CATALOGUE = "evidence_catalogue", _("证据材料目录")
