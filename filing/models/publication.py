"""Publication of a no-liability decision within a scope (在一定范围公开,
Tai'an art. 9). A notice is withdrawn (撤回), never deleted."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, PublicationScope

# "The decision was published ..." per scope, for messages and the timeline.
SCOPE_PHRASES = {
    PublicationScope.UNIT: _("在本单位范围内公开"),
    PublicationScope.SYSTEM: _("在本系统范围内公开"),
    PublicationScope.PUBLIC: _("向社会公开"),
}


class Publication(models.Model):
    Scope = PublicationScope

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="publications")
    scope = models.CharField(_("公开范围"), max_length=10, choices=PublicationScope.choices)
    published_at = models.DateTimeField(_("公开时间"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公开人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    notice = models.ForeignKey(
        "documents.Document",
        verbose_name=_("公开通知"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # For the public scope only: the redacted notice as published, the only
    # thing the public page reads (never the case itself).
    public_notice = models.JSONField(_("公开内容（已脱敏）"), default=dict, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤回人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawal_reason = models.TextField(_("撤回理由"), max_length=2000, blank=True)

    class Meta:
        db_table = "reviews_publication"  # kept from before the split of reviews
        verbose_name = _("公开情况")
        verbose_name_plural = _("公开情况")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "scope"],
                condition=Q(withdrawn_at__isnull=True),
                name="publication_scope_once_while_in_force",
            ),
        ]
        indexes = [models.Index(fields=["scope", "withdrawn_at", "-published_at"])]

    def __str__(self) -> str:
        return f"{self.case} {self.scope}"

    @property
    def scope_phrase(self) -> str:
        return str(SCOPE_PHRASES[self.scope])

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
