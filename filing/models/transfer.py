"""The discipline-inspection and supervision organs (纪检监察机关): transfer of
an officer's matter to them (移送, Lianyungang art. 13), the sanction they
report back for the same act, and the bureau's written opinion on whether the
officers performed their duties when those organs intervene (Tai'an art. 9
para. 3, Lianyungang art. 14)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import DisciplineBody
from cases.models import Case, SubjectOfficer


class DisciplineTransfer(models.Model):
    """One officer's matter sent to the organs after an adopted determination
    of 移送纪检监察机关. `organ_name` always holds the receiving organ's name
    (the body's, when one of the known bodies was chosen)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transfers")
    subject_officer = models.ForeignKey(
        SubjectOfficer, on_delete=models.PROTECT, related_name="transfers"
    )
    determination = models.OneToOneField(
        # By name: deliberation's models import this app's PublicationScope.
        "deliberation.Determination",
        on_delete=models.PROTECT,
        related_name="transfer",
    )
    discipline_body = models.ForeignKey(
        DisciplineBody,
        verbose_name=_("接收机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_received",
    )
    organ_name = models.CharField(_("接收机关名称"), max_length=200)
    transferred_on = models.DateField(_("移送日期"))
    note = models.TextField(_("移送说明"), max_length=4000, blank=True)
    letter = models.ForeignKey(
        "documents.Document",
        verbose_name=_("移送函"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        db_table = "reviews_disciplinetransfer"  # kept from before the split of reviews
        verbose_name = _("移送纪检监察机关")
        verbose_name_plural = _("移送纪检监察机关")
        ordering = ["subject_officer_id", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.subject_officer} → {self.organ_name}"


class OrganSanction(models.Model):
    """The sanction the organs report for the same act. At most one per
    officer of a case: once the organs have sanctioned the act, the bureau
    gives no second sanction or measure for it (Lianyungang art. 13)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="organ_sanctions")
    subject_officer = models.OneToOneField(
        SubjectOfficer, on_delete=models.PROTECT, related_name="organ_sanction"
    )
    transfer = models.ForeignKey(
        DisciplineTransfer, on_delete=models.PROTECT, related_name="sanctions"
    )
    discipline_body = models.ForeignKey(
        DisciplineBody,
        verbose_name=_("作出处分的机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organ_name = models.CharField(_("作出处分的机关名称"), max_length=200)
    decided_on = models.DateField(_("处分日期"))
    sanction = models.CharField(_("处分或处理内容"), max_length=300)
    reference = models.CharField(_("处分决定文号"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        db_table = "reviews_organsanction"  # kept from before the split of reviews
        verbose_name = _("纪检监察机关处分情况")
        verbose_name_plural = _("纪检监察机关处分情况")
        ordering = ["subject_officer_id"]

    def __str__(self) -> str:
        return f"{self.subject_officer}: {self.sanction}"


class DutyOpinion(models.Model):
    """The bureau's written opinion for the intervening organs on whether the
    officers performed their duties (依法履职情况) and committed a fault."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="duty_opinions")
    discipline_body = models.ForeignKey(
        DisciplineBody,
        verbose_name=_("提供给"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organ_name = models.CharField(_("介入调查的机关"), max_length=200)
    issued_on = models.DateField(_("出具日期"))
    basis = models.TextField(_("论证情况"), max_length=8000, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("书面意见"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        db_table = "reviews_dutyopinion"  # kept from before the split of reviews
        verbose_name = _("依法履职情况书面意见")
        verbose_name_plural = _("依法履职情况书面意见")
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case} → {self.organ_name}"


class DutyOpinionItem(models.Model):
    """The bureau's view on one officer."""

    class Performance(models.TextChoices):
        PERFORMED = "performed", _("已依法履职")
        PARTLY = "partly", _("未完全依法履职")
        NOT_PERFORMED = "not_performed", _("未依法履职")
        UNDETERMINED = "undetermined", _("尚难认定")

    class Fault(models.TextChoices):
        NONE = "none", _("不存在行政执法过错行为")
        FAULT = "fault", _("存在行政执法过错行为")
        UNDETERMINED = "undetermined", _("尚难认定")

    opinion = models.ForeignKey(DutyOpinion, on_delete=models.CASCADE, related_name="items")
    subject_officer = models.ForeignKey(
        SubjectOfficer, on_delete=models.PROTECT, related_name="duty_opinion_items"
    )
    duty_performed = models.CharField(_("依法履职情况"), max_length=20, choices=Performance.choices)
    fault = models.CharField(_("是否存在执法过错"), max_length=20, choices=Fault.choices)
    reasoning = models.TextField(_("理由"), max_length=8000)

    class Meta:
        db_table = "reviews_dutyopinionitem"  # kept from before the split of reviews
        verbose_name = _("对执法人员的意见")
        verbose_name_plural = _("对执法人员的意见")
        ordering = ["subject_officer_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["opinion", "subject_officer"], name="duty_opinion_item_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_officer}: {self.duty_performed}"
