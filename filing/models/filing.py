"""Filing (备案): the package sent to the discipline-inspection body of the
same level. A package is frozen once built; a correction makes a new version
and the old one is kept."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import DisciplineBody
from cases.models import Case


def package_upload_to(package: "FilingPackage", filename: str) -> str:
    return f"filings/{package.case_id}/{filename}"


class FilingPackage(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="filing_packages")
    version = models.PositiveSmallIntegerField(_("版本"))
    discipline_body = models.ForeignKey(
        DisciplineBody,
        verbose_name=_("备案机关"),
        on_delete=models.PROTECT,
        related_name="filing_packages",
    )
    file = models.FileField(_("材料包"), upload_to=package_upload_to)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    manifest = models.JSONField(_("清单"))
    correction_reason = models.TextField(_("更正理由"), blank=True)
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    built_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("签收人"),
    )
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)

    class Meta:
        db_table = "reviews_filingpackage"  # kept from before the split of reviews
        verbose_name = _("备案材料包")
        verbose_name_plural = _("备案材料包")
        ordering = ["-built_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="filing_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case} v{self.version}"

    @property
    def file_name(self) -> str:
        return f"{self.case.number}-备案材料-第{self.version}版.zip"


# The audit trail names a package by its model's label. Events recorded before
# reviews was split by stage (append-only, never rewritten) name the old app,
# so reads of a package's downloads and verifications ask for both.
PACKAGE_AUDIT_LABELS = ("filing.FilingPackage", "reviews.FilingPackage")
