"""People and organisation: users, units, discipline-inspection bodies and
enforcement officers. Users and units live in their own app because every
other app (cases, the stage apps, documents) depends on them."""

from django.contrib.auth.models import AbstractUser, _user_has_module_perms, _user_has_perm
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role


class DisciplineBody(models.Model):
    """A discipline-inspection and supervision body (纪检监察机关/派驻纪检监察组)
    that receives the filings of the units it oversees."""

    name = models.CharField(_("名称"), max_length=200, unique=True)
    short_name = models.CharField(_("简称"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("纪检监察机关")
        verbose_name_plural = _("纪检监察机关")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    class Kind(models.TextChoices):
        MUNICIPAL_BUREAU = "municipal_bureau", _("市局")
        COUNTY_BUREAU = "county_bureau", _("县（市、区）局")
        BRANCH_BUREAU = "branch_bureau", _("分局")
        DIVISION = "division", _("科室、处室")

    class Level(models.TextChoices):
        MUNICIPAL = "municipal", _("市级")
        COUNTY = "county", _("县级")
        GRASSROOTS = "grassroots", _("基层")

    name = models.CharField(_("名称"), max_length=200, unique=True)
    # Used in case numbers: 泰市监 + 〔2026〕 + 3 + 号.
    abbreviation = models.CharField(_("机关代字"), max_length=20, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("层级"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The code of the jurisdiction whose regulation applies to the unit's cases
    # (a catalogue's jurisdiction code, e.g. "taian").
    jurisdiction = models.CharField(_("适用辖区"), max_length=40)
    discipline_body = models.ForeignKey(
        DisciplineBody,
        verbose_name=_("同级纪检监察机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )

    # Whether the registering inspector may assign the investigation team
    # where the unit has no case supervisor doing it (issue 15).
    inspector_may_assign = models.BooleanField(
        _("登记人可指派调查组"),
        default=True,
        help_text=_("不勾选时，仅案件督办人可以指派调查组。"),
    )

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    display_name = models.CharField(_("姓名"), max_length=60, blank=True)
    units = models.ManyToManyField(
        Unit, verbose_name=_("所属单位"), blank=True, related_name="members"
    )
    discipline_body = models.ForeignKey(
        DisciplineBody,
        verbose_name=_("所在纪检监察机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="liaisons",
        help_text=_("仅纪检监察联络员填写。"),
    )
    # Raised when the account is disabled or its roles change: it is part of
    # the session hash, so every session opened before ends at its next request.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    class NoticeDelivery(models.TextChoices):
        IMMEDIATE = "immediate", _("每条提醒即时发送电子邮件")
        DIGEST = "digest", _("每日汇总发送一封电子邮件")

    notice_delivery = models.CharField(
        _("提醒邮件"),
        max_length=10,
        choices=NoticeDelivery.choices,
        default=NoticeDelivery.IMMEDIATE,
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.get_full_name()

    def get_full_name(self) -> str:
        return self.display_name or self.username

    def get_session_auth_hash(self) -> str:
        return salted_hmac(
            "accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_generation}",
            algorithm="sha256",
        ).hexdigest()

    # The superuser flag grants nothing by itself: every permission, on case
    # data or in the admin, is decided by the rules and the roles (三员分立).
    def has_perm(self, perm, obj=None) -> bool:
        return self.is_active and _user_has_perm(self, perm, obj)

    def has_perms(self, perm_list, obj=None) -> bool:
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label) -> bool:
        return self.is_active and _user_has_module_perms(self, app_label)

    def role_codes(self) -> frozenset[str]:
        """The user's roles, cached on the instance for the request."""
        if not hasattr(self, "_role_codes"):
            self._role_codes = frozenset(
                self.groups.filter(name__in=Role.values).values_list("name", flat=True)
            )
        return self._role_codes

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes() & set(roles))

    def unit_ids(self) -> frozenset[int]:
        """The ids of the units the user belongs to, cached on the instance."""
        if not hasattr(self, "_unit_ids"):
            self._unit_ids = frozenset(self.units.values_list("id", flat=True))
        return self._unit_ids


class Officer(models.Model):
    """An enforcement officer (行政执法人员); may be the subject of a case."""

    name = models.CharField(_("姓名"), max_length=60)
    certificate_number = models.CharField(_("执法证号"), max_length=40, unique=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="officers"
    )
    post = models.CharField(_("岗位职务"), max_length=100, blank=True)
    user = models.OneToOneField(
        User,
        verbose_name=_("用户账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officer",
    )
    is_active = models.BooleanField(_("在岗"), default=True)

    class Meta:
        verbose_name = _("执法人员")
        verbose_name_plural = _("执法人员")
        ordering = ["unit", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.certificate_number}）"
