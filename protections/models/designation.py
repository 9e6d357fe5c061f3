"""Who, besides the officer concerned and the discipline liaison, may read the
interference register or handle protection requests: people an administrator
designates explicitly, per unit. Holding a leadership role is not enough."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Designation(models.Model):
    class Kind(models.TextChoices):
        INTERFERENCE_READER = "interference_reader", _("干预记录查阅人")
        PROTECTION_HANDLER = "protection_handler", _("保护申请承办人")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("被指定人"),
        on_delete=models.PROTECT,
        related_name="protection_designations",
    )
    # The unit and every unit below it.
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("负责单位"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("含其下级单位。"),
    )
    kind = models.CharField(_("指定事项"), max_length=30, choices=Kind.choices)
    basis = models.CharField(
        _("指定依据"), max_length=200, help_text=_("如：党组会议决定、文件编号。")
    )
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("指定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    designated_at = models.DateTimeField(_("指定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("指定查阅人和承办人")
        verbose_name_plural = _("指定查阅人和承办人")
        ordering = ["unit", "kind", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "kind"], name="protection_designation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}：{self.get_kind_display()}（{self.unit}）"
