"""Facts and claimed clauses, per stage and per subject officer."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models.case import Case, SubjectOfficer
from cases.models.evidence import Evidence
from cases.workflow import Stage


class FactRecord(models.Model):
    """One fact as held at one stage: for the whole case (subject_officer
    empty) or for one officer, overriding the case-wide value. Absent means
    unknown; a record is removed by recording the fact as unknown again."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="fact_records")
    subject_officer = models.ForeignKey(
        SubjectOfficer,
        verbose_name=_("适用于"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="fact_records",
    )
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices)
    fact_key = models.CharField(_("事实要素"), max_length=64)
    value = models.JSONField(_("认定"))
    note = models.TextField(_("说明"), blank=True)
    # The written basis that other_exemption_basis / other_mitigation_basis need.
    basis = models.TextField(_("依据"), blank=True)
    evidence = models.ManyToManyField(Evidence, verbose_name=_("所依据的证据"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now=True)
    # Set when the fact vocabulary changed under a recorded finding (a fact split,
    # or its label narrowed to the regulation's own words) and the old finding
    # cannot be carried over with certainty; recording the fact again clears it.
    needs_review = models.BooleanField(_("需复核"), default=False)
    review_note = models.TextField(_("复核说明"), blank=True)
    # A fact carried forward from the previous fact-finding stage is copied as
    # a row of this stage (so the engine, the matrix and the documents read a
    # stage's facts as before) and keeps where it came from: recorded_by and
    # recorded_at stay those of the source finding. The stage confirms carried
    # facts (confirmed_by/at) or amends one with a reason, which makes it the
    # stage's own finding (carried_from cleared, amendment_reason kept).
    carried_from = models.CharField(
        _("沿用自"), max_length=20, choices=Stage.choices, blank=True, default=""
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    amendment_reason = models.TextField(_("修改理由"), blank=True)

    class Meta:
        verbose_name = _("事实认定")
        verbose_name_plural = _("事实认定")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "subject_officer", "stage", "fact_key"],
                name="fact_once_per_officer_stage",
            ),
            models.UniqueConstraint(
                fields=["case", "stage", "fact_key"],
                condition=Q(subject_officer__isnull=True),
                name="case_wide_fact_once_per_stage",
            ),
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.stage}:{self.fact_key}={self.value}"

    @property
    def awaits_confirmation(self) -> bool:
        """Carried from the previous stage and not yet confirmed at this one."""
        return bool(self.carried_from) and self.confirmed_at is None


class ClauseClaim(models.Model):
    """A clause claimed by or for a subject officer at intake."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clause_claims")
    subject_officer = models.ForeignKey(
        SubjectOfficer, on_delete=models.CASCADE, related_name="clause_claims"
    )
    clause_ref = models.CharField(_("条款"), max_length=32)
    note = models.TextField(_("理由"), blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    claimed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("主张适用的条款")
        verbose_name_plural = _("主张适用的条款")
        constraints = [
            models.UniqueConstraint(
                fields=["subject_officer", "clause_ref"], name="clause_claimed_once"
            ),
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return self.clause_ref
