"""The expert panel (专家组) and its written opinion (书面论证意见): each
member's view per disputed clause, and the panel's conclusion with dissent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Case, SubjectOfficer


class ExpertPanel(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="expert_panel")
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("专家组成员"), related_name="expert_panels"
    )
    question = models.TextField(_("提请论证的问题"), max_length=4000)
    conclusion = models.TextField(_("专家组结论"), max_length=20000, blank=True)
    dissent = models.TextField(_("不同意见"), max_length=20000, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    concluded_at = models.DateTimeField(_("出具时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "reviews_expertpanel"  # kept from before the split of reviews
        verbose_name = _("专家组")
        verbose_name_plural = _("专家组")

    def __str__(self) -> str:
        return f"{self.case}"


class DisputedClause(models.Model):
    panel = models.ForeignKey(ExpertPanel, on_delete=models.CASCADE, related_name="disputed")
    subject_officer = models.ForeignKey(SubjectOfficer, on_delete=models.CASCADE, related_name="+")
    clause_ref = models.CharField(_("条款"), max_length=32)

    class Meta:
        db_table = "reviews_disputedclause"  # kept from before the split of reviews
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "subject_officer", "clause_ref"], name="disputed_clause_once"
            ),
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return self.clause_ref


class ExpertOpinion(models.Model):
    class Position(models.TextChoices):
        AGREE = "agree", _("同意适用")
        DISAGREE = "disagree", _("不同意适用")
        PARTLY = "partly", _("部分同意")

    disputed_clause = models.ForeignKey(
        DisputedClause, on_delete=models.CASCADE, related_name="opinions"
    )
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    position = models.CharField(_("意见"), max_length=10, choices=Position.choices)
    reasoning = models.TextField(_("理由"), max_length=8000)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "reviews_expertopinion"  # kept from before the split of reviews
        constraints = [
            models.UniqueConstraint(
                fields=["disputed_clause", "member"], name="expert_opinion_once"
            ),
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.position}"
