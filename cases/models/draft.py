"""An inspector's case filing in progress: what the intake wizard keeps
between requests and sessions until the case is submitted."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models.case import Case


class IntakeDraft(models.Model):
    """The working copy of one filing, seen by its owner only. `data` holds
    what was typed at each form step exactly as posted ({step: {field:
    [values]}}), so a step reopens as it was left, valid or not. The case is
    opened (as a draft) once the incident, officers and allegation are valid,
    because claims and evidence belong to a case."""

    class Step(models.TextChoices):
        INCIDENT = "incident", _("事件")
        OFFICERS = "officers", _("涉及的执法人员")
        ALLEGATION = "allegation", _("反映的问题与主张条款")
        EVIDENCE = "evidence", _("证据材料")
        REVIEW = "review", _("核对并提交")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.CASCADE,
        related_name="intake_drafts",
    )
    step = models.CharField(_("停留的步骤"), max_length=20, choices=Step.choices)
    data = models.JSONField(_("已填写的内容"), default=dict, blank=True)
    case = models.OneToOneField(
        Case,
        verbose_name=_("案件草稿"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="intake_draft",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("最后保存时间"), auto_now=True)

    class Meta:
        verbose_name = _("登记草稿")
        verbose_name_plural = _("登记草稿")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["owner", "-updated_at"])]

    def __str__(self) -> str:
        return f"{self.owner_id}/{self.pk}: {self.step}"

    @property
    def summary(self) -> str:
        """The incident summary as typed so far (for the list of drafts)."""
        values = self.data.get(self.Step.INCIDENT, {}).get("incident_summary") or [""]
        return values[0].strip()
