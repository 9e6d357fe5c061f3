"""Clarification after false accusations (澄清正名; Tai'an art. 11,
Lianyungang art. 17): the accusation against one or more officers, the finding
that it was untrue, the decision to clarify with its scope, and the
clarification notice (澄清正名通知) issued within that scope.

A record moves only through vindication.services:

    recorded → found_untrue → clarification_decided → notice_issued
    recorded → substantiated
    recorded | found_untrue → closed (without clarification)
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Officer, Unit
from cases.models import PublicationScope


class AccusationKind(models.TextChoices):
    # The words of Tai'an art. 11 and Lianyungang art. 17.
    UNTRUE_COMPLAINT = "untrue_complaint", _("不实投诉、举报")
    FALSE_ACCUSATION = "false_accusation", _("诬告")
    DEFAMATION = "defamation", _("诽谤")
    INSULT = "insult", _("侮辱")


class AccusationChannel(models.TextChoices):
    HOTLINE = "hotline", _("12345热线或投诉举报电话")
    LETTERS_AND_VISITS = "letters_and_visits", _("信访")
    ONLINE = "online", _("网络举报或网络舆情")
    MEDIA = "media", _("新闻媒体")
    ASSIGNED_BY_SUPERIOR = "assigned_by_superior", _("上级交办")
    DISCIPLINE_TRANSFER = "discipline_transfer", _("纪检监察机关转办")
    OTHER = "other", _("其他")


class ClarificationRecord(models.Model):
    class State(models.TextChoices):
        RECORDED = "recorded", _("已登记")
        FOUND_UNTRUE = "found_untrue", _("经核实不实")
        SUBSTANTIATED = "substantiated", _("经核实属实")
        CLARIFICATION_DECIDED = "clarification_decided", _("已决定澄清正名")
        NOTICE_ISSUED = "notice_issued", _("已发布澄清正名通知")
        CLOSED = "closed", _("已了结，不予澄清")

    # The officers' unit: the one that clarifies (其所在市场监督管理部门).
    unit = models.ForeignKey(
        Unit, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="+"
    )
    # The catalogue version whose article is cited (the case's when linked).
    regulation = models.ForeignKey(
        "exemptions.RegulationVersion",
        verbose_name=_("适用的免责办法"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("关联案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clarification_records",
    )
    officers = models.ManyToManyField(
        Officer, verbose_name=_("被反映的执法人员"), related_name="clarification_records"
    )
    kind = models.CharField(_("反映性质"), max_length=30, choices=AccusationKind.choices)
    channel = models.CharField(_("反映渠道"), max_length=30, choices=AccusationChannel.choices)
    source = models.CharField(_("来源说明"), max_length=200, blank=True)
    received_on = models.DateField(_("收到日期"))
    content = models.TextField(_("反映的内容"), max_length=8000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    state = models.CharField(
        _("状态"), max_length=30, choices=State.choices, default=State.RECORDED
    )

    # The finding (核实).
    found_by = models.CharField(_("核实单位或人员"), max_length=200, blank=True)
    found_on = models.DateField(_("核实日期"), null=True, blank=True)
    finding_basis = models.TextField(_("核实依据"), max_length=8000, blank=True)
    finding_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finding_recorded_at = models.DateTimeField(null=True, blank=True)

    closing_reason = models.TextField(_("不予澄清的理由"), max_length=4000, blank=True)

    # The decision to clarify (决定澄清正名).
    decided_by = models.CharField(_("决定机关或会议"), max_length=200, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    scope = models.CharField(
        _("公开范围"), max_length=10, choices=PublicationScope.choices, blank=True
    )
    scope_detail = models.CharField(_("具体范围"), max_length=200, blank=True)
    decision_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_recorded_at = models.DateTimeField(null=True, blank=True)

    # The notice: numbered per unit and year when first decided, rendered then.
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)
    number = models.CharField(_("通知文号"), max_length=60, blank=True)
    notice_file = models.FileField(_("澄清正名通知"), upload_to="vindication/", blank=True)
    notice_sha256 = models.CharField(max_length=64, blank=True)
    notice_size = models.PositiveIntegerField(default=0)
    notice_page_count = models.PositiveSmallIntegerField(default=0)
    issued_on = models.DateField(_("发布日期"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("澄清正名记录")
        verbose_name_plural = _("澄清正名记录")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "sequence"], name="clarification_number_unique"
            ),
        ]
        indexes = [models.Index(fields=["unit", "-recorded_at"])]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def is_final(self) -> bool:
        """Issued, substantiated or closed: nothing changes any more."""
        from vindication.workflow import FLOW  # the flow's table reads this module

        return self.state in FLOW.final_states

    @property
    def has_notice(self) -> bool:
        return bool(self.notice_file)
