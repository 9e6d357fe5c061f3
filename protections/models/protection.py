"""Protection requests (Lianyungang 2022 art. 18): an officer, or a close
relative, threatened, harassed, followed, attacked or harmed because of the
officer's duties; the bureau coordinates protection with the police. The
request moves submitted → coordinating with the police → measures taken →
closed, through `protections.services.protection` only, and every move is
kept in its history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProtectionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    COORDINATING = "coordinating", _("正在协调公安机关")
    MEASURES_TAKEN = "measures_taken", _("已采取保护措施")
    CLOSED = "closed", _("已办结")


class AffectedPerson(models.TextChoices):
    """The officer, or one of the close relatives (近亲属)."""

    SELF = "self", _("本人")
    SPOUSE = "spouse", _("配偶")
    PARENT = "parent", _("父母")
    CHILD = "child", _("子女")
    SIBLING = "sibling", _("兄弟姐妹")
    GRANDPARENT = "grandparent", _("祖父母、外祖父母")
    GRANDCHILD = "grandchild", _("孙子女、外孙子女")


class IncidentKind(models.TextChoices):
    """As Lianyungang art. 18 lists them."""

    THREAT = "threat", _("恐吓威胁")
    HARASSMENT = "harassment", _("滋事骚扰")
    FOLLOWING = "following", _("尾随跟踪")
    ABUSE = "abuse", _("攻击辱骂")
    HARM = "harm", _("人身、财产受到侵害")


class ProtectionRequest(models.Model):
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        "accounts.Officer",
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="protection_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交账号"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("编号"), max_length=60)
    affected_person = models.CharField(_("受侵害人"), max_length=20, choices=AffectedPerson.choices)
    affected_name = models.CharField(_("受侵害人姓名"), max_length=60, blank=True)
    incident_kind = models.CharField(_("遭遇的情形"), max_length=20, choices=IncidentKind.choices)
    occurred_at = models.DateTimeField(_("发生时间"))
    place = models.CharField(_("发生地点"), max_length=200)
    description = models.TextField(_("经过"), max_length=4000)
    duty_connection = models.CharField(_("与依法履职的关系"), max_length=500)
    status = models.CharField(
        _("办理状态"),
        max_length=20,
        choices=ProtectionStatus.choices,
        default=ProtectionStatus.SUBMITTED,
    )
    status_changed_at = models.DateTimeField(_("状态变更时间"))
    outcome = models.TextField(_("办理结果"), max_length=4000, blank=True)
    created_at = models.DateTimeField(_("提交时间"))

    class Meta:
        verbose_name = _("保护申请")
        verbose_name_plural = _("保护申请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "sequence"], name="protection_request_number"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def affected_label(self) -> str:
        if self.affected_person == AffectedPerson.SELF:
            return str(AffectedPerson.SELF.label)
        label = self.get_affected_person_display()
        return f"{label} {self.affected_name}" if self.affected_name else label


class ProtectionStatusChange(models.Model):
    """One line of a request's history; the first has no from_status."""

    request = models.ForeignKey(
        ProtectionRequest, on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(
        _("原状态"), max_length=20, choices=ProtectionStatus.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=20, choices=ProtectionStatus.choices)
    note = models.CharField(_("说明"), max_length=1000, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("保护申请办理记录")
        verbose_name_plural = _("保护申请办理记录")
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_status} → {self.to_status}"


class PoliceCoordination(models.Model):
    """One contact with the police about a request."""

    request = models.ForeignKey(
        ProtectionRequest, on_delete=models.PROTECT, related_name="police_coordinations"
    )
    contacted_on = models.DateField(_("协调日期"))
    police_unit = models.CharField(_("公安机关"), max_length=200)
    reference_number = models.CharField(_("接警或案件编号"), max_length=100, blank=True)
    actions = models.TextField(_("协调事项和采取的措施"), max_length=4000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("协调公安机关记录")
        verbose_name_plural = _("协调公安机关记录")
        ordering = ["contacted_on", "id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.police_unit} {self.contacted_on}"
