"""Accountability cases (问责/免责案件) and the officers they concern."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Officer, Unit


class CaseNumberCounter(models.Model):
    """The last sequence number given out per unit and year. Allocation locks
    the row (see services.case_number_allocate), so numbers never collide."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="case_counter_unit_year"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last_sequence}"


class Case(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="cases"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("序号"))
    # Official style: unit abbreviation + 〔year〕 + sequence + 号, no leading zeros.
    number = models.CharField(_("案件编号"), max_length=60, unique=True)
    incident_summary = models.TextField(_("事件概要"), max_length=4000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="cases_created",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    officers = models.ManyToManyField(
        Officer, through="SubjectOfficer", verbose_name=_("涉及执法人员"), related_name="cases"
    )

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "sequence"], name="case_number_unique_per_unit_year"
            ),
        ]
        indexes = [models.Index(fields=["unit", "-created_at"])]

    def __str__(self) -> str:
        return self.number


class SubjectOfficer(models.Model):
    """An officer the case concerns, with their part in the act."""

    class Part(models.TextChoices):
        HANDLER = "handler", _("承办人")
        REVIEWER = "reviewer", _("审核人")
        APPROVER = "approver", _("批准人")
        OTHER = "other", _("其他参与人")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="subject_officers")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    part = models.CharField(_("在执法行为中的角色"), max_length=20, choices=Part.choices)

    class Meta:
        verbose_name = _("涉案执法人员")
        verbose_name_plural = _("涉案执法人员")
        constraints = [
            models.UniqueConstraint(fields=["case", "officer"], name="subject_officer_once"),
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.officer.name}（{self.get_part_display()}）"
