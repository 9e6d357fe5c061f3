"""The investigation report (调查报告): a conclusion per clause per officer,
versioned so that a stale edit is refused rather than silently applied."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Case, SubjectOfficer


class ClauseConclusion(models.TextChoices):
    SATISFIED = "satisfied", _("符合")
    NOT_MET = "not_met", _("不符合")
    EXCLUDED = "excluded", _("属于除外情形")
    UNDETERMINED = "undetermined", _("尚难认定")


class InvestigationReport(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="investigation_report")
    version = models.PositiveIntegerField(_("版本"), default=1)
    findings_summary = models.TextField(_("调查认定的事实"), max_length=20000)
    conclusion = models.TextField(_("调查结论"), max_length=20000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("签发人"),
    )
    signed_off_at = models.DateTimeField(_("签发时间"), null=True, blank=True)

    class Meta:
        db_table = "reviews_investigationreport"  # kept from before the split of reviews
        verbose_name = _("调查报告")
        verbose_name_plural = _("调查报告")

    def __str__(self) -> str:
        return f"{self.case} v{self.version}"

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None


class ReportConclusion(models.Model):
    report = models.ForeignKey(
        InvestigationReport, on_delete=models.CASCADE, related_name="clause_conclusions"
    )
    subject_officer = models.ForeignKey(SubjectOfficer, on_delete=models.CASCADE, related_name="+")
    clause_ref = models.CharField(_("条款"), max_length=32)
    conclusion = models.CharField(_("结论"), max_length=20, choices=ClauseConclusion.choices)
    reasoning = models.TextField(_("理由"), max_length=4000, blank=True)

    class Meta:
        db_table = "reviews_reportconclusion"  # kept from before the split of reviews
        constraints = [
            models.UniqueConstraint(
                fields=["report", "subject_officer", "clause_ref"], name="report_conclusion_once"
            ),
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.clause_ref}: {self.conclusion}"
