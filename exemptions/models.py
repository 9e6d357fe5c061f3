"""Regulations, their versions, articles and clauses, and the fact vocabulary.

The catalogue files in `catalogs/` are the source; `manage.py load_catalogs`
(exemptions.services) is the only writer. Loaded rows are never edited: a
catalogue whose text or conditions change becomes a new RegulationVersion, and
the old version keeps its articles and clauses so decided cases can go on
citing them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from exemptions import engine


class Consequence(models.TextChoices):
    """The values of the `consequence` enum fact, least to worst, with the
    words the regulations use for them."""

    NONE = "none", _("未造成不良后果")
    MINOR = "minor", _("情节轻微、影响较小")
    MAJOR = "major", _("重大影响和损失")
    SEVERE = "severe", _("恶劣影响或严重后果")


class Fact(models.Model):
    """One finding of the vocabulary (facts.yaml). A fact that disappears from
    the file is kept: older catalogue versions may still be written over it."""

    class Type(models.TextChoices):
        BOOL = "bool", _("是非")
        ENUM = "enum", _("等级")

    key = models.CharField(_("键"), max_length=64, unique=True)
    type = models.CharField(_("类型"), max_length=8, choices=Type.choices)
    values = models.JSONField(_("取值"), default=list, blank=True)
    label_zh = models.TextField(_("中文名称"))
    # For readers of the English interface; facts are recorded and cited in Chinese.
    label_en = models.TextField(_("英文名称"), blank=True, default="")
    # How documents state the fact when established true / false (empty: the
    # sentence of documents/prose.py, else one made from the label).
    sentence_true = models.TextField(_("文书表述（是）"), blank=True, default="")
    sentence_false = models.TextField(_("文书表述（否）"), blank=True, default="")
    # {regulation slug: the label in that regulation's own words}
    labels = models.JSONField(_("各办法的表述"), default=dict, blank=True)
    # The facts this one was split into; it stays for older catalogue versions.
    replaced_by = models.JSONField(_("已拆分为"), default=list, blank=True)
    description = models.TextField(_("说明"))
    position = models.PositiveIntegerField(_("顺序"))

    class Meta:
        ordering = ["position", "key"]
        verbose_name = _("事实要素")
        verbose_name_plural = _("事实要素")

    def __str__(self) -> str:
        return f"{self.key} · {self.label_zh}"

    # Set by selectors.facts_by_key(regulation=...): whose words `label` gives.
    regulation_slug: str | None = None

    def label_for(self, regulation: str | None) -> str:
        """The label in the words of the regulation (slug), else the neutral label."""
        return (self.labels or {}).get(regulation or "") or self.label_zh

    @property
    def label(self) -> str:
        return self.label_for(self.regulation_slug)

    @property
    def display_label(self) -> str:
        """The label for the page: in English for an English reader (the
        Chinese words of the regulation stay in `label`), else `label`."""
        if self.label_en and (get_language() or "").startswith("en"):
            return self.label_en
        return self.label


class Regulation(models.Model):
    """A regulation's stable identity: its slug and the jurisdiction it governs.
    Everything its document says lives on its versions."""

    slug = models.SlugField(_("标识"), max_length=64, unique=True)
    jurisdiction_code = models.CharField(_("辖区代码"), max_length=40, db_index=True)
    jurisdiction_name = models.CharField(_("辖区"), max_length=100)
    province = models.CharField(_("省份"), max_length=100, blank=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("免责办法")
        verbose_name_plural = _("免责办法")

    def __str__(self) -> str:
        return self.slug


class RegulationVersion(models.Model):
    """One loaded content of a catalogue file. `data` is the catalogue in the
    file's own shape (canonical: dates as ISO strings, optional keys omitted),
    so engine.parse_catalog rebuilds exactly this version from it."""

    regulation = models.ForeignKey(
        Regulation, on_delete=models.PROTECT, related_name="versions", verbose_name=_("免责办法")
    )
    number = models.PositiveIntegerField(_("版本号"))
    content_hash = models.CharField(_("内容摘要"), max_length=64)
    title = models.CharField(_("名称"), max_length=200)
    issuing_body = models.CharField(_("制定机关"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=100)
    issued_on = models.DateField(_("印发日期"))
    effective_on = models.DateField(_("施行日期"))
    procedure = models.JSONField(_("程序规则"))
    data = models.JSONField(_("目录数据"))
    source = models.CharField(_("来源文件"), max_length=200)
    loaded_at = models.DateTimeField(_("载入时间"), auto_now_add=True)
    is_current = models.BooleanField(_("现行版本"), default=True)

    class Meta:
        ordering = ["regulation__slug", "-number"]
        verbose_name = _("免责办法版本")
        verbose_name_plural = _("免责办法版本")
        constraints = [
            models.UniqueConstraint(
                fields=["regulation", "number"], name="exemptions_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["regulation", "content_hash"], name="exemptions_version_content_unique"
            ),
            models.UniqueConstraint(
                fields=["regulation"],
                condition=Q(is_current=True),
                name="exemptions_one_current_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.regulation.slug} v{self.number}"

    def source_dict(self) -> dict:
        """The catalogue of this exact version, ready for engine.parse_catalog."""
        return self.data


class Article(models.Model):
    version = models.ForeignKey(
        RegulationVersion,
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("版本"),
    )
    number = models.PositiveIntegerField(_("条"))
    text = models.TextField(_("条文"))

    class Meta:
        ordering = ["version", "number"]
        verbose_name = _("条文")
        verbose_name_plural = _("条文")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "number"], name="exemptions_article_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} art. {self.number}"


class Clause(models.Model):
    class Kind(models.TextChoices):
        PRINCIPLE = engine.PRINCIPLE, _("原则")
        EXEMPTION = engine.EXEMPTION, _("免责情形")
        MITIGATION = engine.MITIGATION, _("从轻减轻情形")

    version = models.ForeignKey(
        RegulationVersion,
        on_delete=models.PROTECT,
        related_name="clauses",
        verbose_name=_("版本"),
    )
    article = models.ForeignKey(
        Article, on_delete=models.PROTECT, related_name="clauses", verbose_name=_("条文")
    )
    ref = models.CharField(_("条款编号"), max_length=40)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("条款原文"))
    # The legal effect (engine.EFFECTS); empty in versions loaded before effects were recorded.
    effect = models.CharField(_("法律效果"), max_length=32, blank=True)
    # {"requires": expr, "consequence_below": level?, "excluded_if": [expr]?} as in the file.
    condition = models.JSONField(_("适用条件"))
    position = models.PositiveIntegerField(_("顺序"))

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("条款")
        verbose_name_plural = _("条款")
        constraints = [
            models.UniqueConstraint(fields=["version", "ref"], name="exemptions_clause_ref_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.ref}"


class CatalogChange(models.Model):
    """A new catalogue, or a revision of one, uploaded through the application
    and waiting for a second authorised person (four eyes) before it takes
    effect. The YAML is kept as uploaded; the diff against the version
    current at upload and the golden-case report (every decided case assessed
    again under the new text) are computed once at upload and shown to the
    approver. On its effective date an approved change is stored as the
    regulation's new current version (exemptions.services.catalog_store);
    cases decided before keep their version."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已批准，待生效")
        ACTIVE = "active", _("已生效")
        REJECTED = "rejected", _("已退回")

    file_name = models.CharField(_("文件名"), max_length=200)
    yaml_text = models.TextField(_("目录文件内容"))
    content_hash = models.CharField(_("内容摘要"), max_length=64)
    slug = models.SlugField(_("标识"), max_length=64)
    title = models.CharField(_("名称"), max_length=200)
    # The version current when the change was uploaded (None: a new regulation).
    base_version = models.ForeignKey(
        RegulationVersion,
        verbose_name=_("对照版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("修订说明"))
    effective_on = models.DateField(_("生效日期"))
    diff = models.JSONField(_("差异"), default=dict)
    golden = models.JSONField(_("已决案件重算"), default=dict)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)
    activated_at = models.DateTimeField(_("生效时间"), null=True, blank=True)
    version = models.ForeignKey(
        RegulationVersion,
        verbose_name=_("生效版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("免责目录变更")
        verbose_name_plural = _("免责目录变更")

    def __str__(self) -> str:
        return f"{self.slug} · {self.get_status_display()}"
