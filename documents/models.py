"""Generated documents. A row is written before its rendering job is queued,
so a job is never lost between the request and the worker."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from documents.kinds import DocumentKind


def document_upload_to(document: "Document", filename: str) -> str:
    return f"documents/{document.case_id}/{filename}"


class Document(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已生成")
        FAILED = "failed", _("生成失败")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("文书类型"), max_length=40, choices=DocumentKind.choices)
    # Keyword arguments for the kind's context builder, e.g. {"scope": "public"}
    # for a publication notice or {"subject_officer_id": 3} for a certificate.
    options = models.JSONField(_("参数"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    file = models.FileField(_("文件"), upload_to=document_upload_to, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    # SHA-256 of the rendered HTML: a document whose inputs did not change is
    # not rendered again (see services.document_render).
    input_hash = models.CharField(max_length=64, blank=True, db_index=True)
    size = models.PositiveIntegerField(default=0)
    page_count = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(_("错误信息"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Job queuing (issue 12). When the message was last handed to the broker:
    # empty while the broker could not be reached, so beat queues it later.
    queued_at = models.DateTimeField(null=True, blank=True)
    # A running job belongs to its worker until this time, which the worker's
    # heartbeat pushes forward; past it the worker is taken as lost and the
    # job may be claimed again (services.documents_requeue_stuck).
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("文书")
        verbose_name_plural = _("文书")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["case", "kind", "-requested_at"])]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}#{self.pk}"

    @property
    def is_waiting_for_queue(self) -> bool:
        """Requested, but not yet handed to the job queue (broker unreachable)."""
        return self.status == self.Status.QUEUED and self.queued_at is None

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class NumberStyle(models.TextChoices):
    ISSUE = "issue", _("发文字号：机关代字〔年份〕序号号")
    PERIOD = "period", _("期号：第N期")


class DocumentSeries(models.Model):
    """How a unit numbers one kind of document it issues: its 机关代字
    (泰市监免 for decisions, 泰市监备 for filing notices) or, for minutes, 第N期.
    A kind without a row takes the defaults of documents.register."""

    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("文书类型"), max_length=40, choices=DocumentKind.choices)
    agency_code = models.CharField(_("机关代字"), max_length=20, blank=True)
    style = models.CharField(
        _("编号方式"), max_length=10, choices=NumberStyle.choices, default=NumberStyle.ISSUE
    )

    class Meta:
        verbose_name = _("发文字号设置")
        verbose_name_plural = _("发文字号设置")
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind"], name="document_series_once"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_kind_display()}"


class RegisterEntry(models.Model):
    """One line of a unit's document register (发文登记簿): a number given to
    a document when it is issued. Allocated once under a lock, never changed,
    never deleted, so a number is never reused."""

    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("文书类型"), max_length=40, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("发文字号"), max_length=60)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="register_entries",
    )
    # Which document of the case's kind: "" for the only one, else e.g. the
    # publication scope or the subject officer.
    key = models.CharField(_("文书标识"), max_length=40, blank=True)
    title = models.CharField(_("标题"), max_length=200, blank=True)
    issued_on = models.DateField(_("成文日期"))
    issued_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("发文登记")
        verbose_name_plural = _("发文登记簿")
        ordering = ["unit", "kind", "-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "year", "sequence"], name="register_number_once"
            ),
            models.UniqueConstraint(
                fields=["case", "kind", "key"], name="register_document_numbered_once"
            ),
        ]

    def __str__(self) -> str:
        return self.number


def seal_upload_to(seal: "UnitSeal", filename: str) -> str:
    return f"seals/{seal.unit_id}/{filename}"


class UnitSeal(models.Model):
    """A unit's seal image, pressed over the issuing body and the date of the
    documents it issues. Set through documents.seals.seal_set, which checks
    the image and audits the change."""

    unit = models.OneToOneField(
        "accounts.Unit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="seal"
    )
    image = models.FileField(_("印章图片"), upload_to=seal_upload_to)
    content_type = models.CharField(_("图片类型"), max_length=20, editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    size = models.PositiveIntegerField(_("大小"), default=0, editable=False)
    width = models.PositiveIntegerField(_("宽"), default=0, editable=False)
    height = models.PositiveIntegerField(_("高"), default=0, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now=True)

    class Meta:
        verbose_name = _("单位印章")
        verbose_name_plural = _("单位印章")

    def __str__(self) -> str:
        return str(self.unit)
