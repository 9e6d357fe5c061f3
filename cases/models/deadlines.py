"""Time limits per stage, and the in-app notifications they produce."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from cases.models.case import Case
from cases.workflow import CaseState, DayKind, NoticeKind


class StageDeadline(models.Model):
    """How many days a case may stay in a stage: per unit, or the default for
    every unit when unit is empty."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), null=True, blank=True, on_delete=models.CASCADE
    )
    state = models.CharField(_("阶段"), max_length=20, choices=CaseState.choices)
    days = models.PositiveSmallIntegerField(_("期限（日）"))
    day_kind = models.CharField(
        _("计算方式"),
        max_length=10,
        choices=DayKind.choices,
        default=DayKind.WORKING,
        help_text=_("工作日按国家法定节假日及调休安排计算（另见“工作日历调整”）。"),
    )
    warn_days_before = models.PositiveSmallIntegerField(_("提前提醒（日）"), default=3)

    class Meta:
        verbose_name = _("阶段期限")
        verbose_name_plural = _("阶段期限")
        constraints = [
            models.UniqueConstraint(fields=["unit", "state"], name="deadline_once_per_unit_state"),
            models.UniqueConstraint(
                fields=["state"],
                condition=models.Q(unit__isnull=True),
                name="default_deadline_once_per_state",
            ),
        ]

    def __str__(self) -> str:
        unit = "w" if self.day_kind == DayKind.WORKING else "d"
        return f"{self.unit or '*'}:{self.state}={self.days}{unit}"


class Notification(models.Model):
    """One notice to one user about one case: a hand-off (cases.workflow
    Move.notices and HANDOFFS) or a deadline (the scan). The text is rendered
    in the reader's language from the kind and params when it has params;
    `message` keeps it as first written (the deadline scan's, and e-mail)."""

    Kind = NoticeKind

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # The stage and deadline it was about: one notification per user, case,
    # stage entry and kind, however often the scan runs.
    state = models.CharField(max_length=20, choices=CaseState.choices)
    # Empty for hand-off notices (the constraint below then never applies).
    deadline_at = models.DateTimeField(null=True, blank=True)
    message = models.CharField(max_length=300)
    params = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # When it went out by e-mail (immediately or in a digest); empty: not yet.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "case", "state", "deadline_at", "kind"],
                name="notification_once",
            ),
        ]

    def __str__(self) -> str:
        return self.message

    @property
    def url(self) -> str:
        """Where the notice's reader acts: the filings inbox for a package
        sent to the liaison (who reads no case page), else the case."""
        from cases.services.notices import notice_path

        return notice_path(self)

    @property
    def text(self) -> str:
        """The notice in the active language."""
        from cases.services.notices import notice_text

        return notice_text(self)
