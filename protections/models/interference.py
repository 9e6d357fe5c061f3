"""The interference register (干预执法记录): every illegal interference in
enforcement or in the handling of a case that an officer meets is recorded
fully and truthfully and kept on file for inspection (Tai'an 2020 art. 5,
Lianyungang 2022 art. 6).

An entry is final when it is recorded: there are no drafts, and neither the
entry nor its attachments can be changed or deleted, through a service, the
admin, the model or its queryset. A mistake is put right by a new entry that
corrects the old one; the old one then shows as corrected."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

IMMUTABLE_MESSAGE = "Interference register entries are final: they cannot be changed or deleted."


class ImmutableRecordError(Exception):
    """Raised on any attempt to change or remove a recorded entry."""


class ImmutableQuerySet(models.QuerySet):
    """Bulk writes would bypass the models' guards."""

    def update(self, **kwargs):
        raise ImmutableRecordError(IMMUTABLE_MESSAGE)

    def delete(self):
        raise ImmutableRecordError(IMMUTABLE_MESSAGE)

    def bulk_update(self, objs, fields, batch_size=None):
        raise ImmutableRecordError(IMMUTABLE_MESSAGE)

    def bulk_create(self, objs, *args, **kwargs):
        # Entries are numbered and audited one at a time by the service.
        raise ImmutableRecordError(IMMUTABLE_MESSAGE)


class InsertOnlyModel(models.Model):
    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise ImmutableRecordError(IMMUTABLE_MESSAGE)
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError(IMMUTABLE_MESSAGE)


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("当面")
    PHONE = "phone", _("电话")
    MESSAGE = "message", _("短信、微信等信息")
    LETTER = "letter", _("书信、便条")
    THROUGH_OTHERS = "through_others", _("托人转达")
    OTHER = "other", _("其他方式")


class InterferenceEntry(InsertOnlyModel):
    # The recording officer's unit when the entry was made.
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("记录单位"), on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        "accounts.Officer",
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="interference_entries",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录账号"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("登记号"), max_length=60)
    occurred_at = models.DateTimeField(_("发生时间"))
    interferer_name = models.CharField(_("干预人"), max_length=60)
    interferer_unit = models.CharField(_("干预人单位"), max_length=200, blank=True)
    interferer_position = models.CharField(_("干预人职务"), max_length=100, blank=True)
    channel = models.CharField(_("干预方式"), max_length=20, choices=Channel.choices)
    channel_detail = models.CharField(_("方式说明"), max_length=200, blank=True)
    matter = models.CharField(_("涉及的案件或执法事项"), max_length=500)
    request_content = models.TextField(_("干预的具体内容"), max_length=4000)
    response = models.TextField(_("本人的处理情况"), max_length=4000)
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("更正的记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_by",
    )
    correction_reason = models.CharField(_("更正理由"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("干预执法记录")
        verbose_name_plural = _("干预执法记录")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "sequence"], name="interference_entry_number"
            ),
        ]
        indexes = [models.Index(fields=["unit", "occurred_at"], name="interference_unit_date")]

    def __str__(self) -> str:
        return self.number

    @property
    def correction(self) -> "InterferenceEntry | None":
        """The entry that corrects this one, if any."""
        try:
            return self.corrected_by
        except InterferenceEntry.DoesNotExist:
            return None


def attachment_upload_to(attachment: "InterferenceAttachment", filename: str) -> str:
    # Never the uploader's file name: it is kept in original_name for display.
    return f"interference/{uuid.uuid4().hex}"


class InterferenceAttachment(InsertOnlyModel):
    entry = models.ForeignKey(
        InterferenceEntry, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to=attachment_upload_to)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("干预记录附件")
        verbose_name_plural = _("干预记录附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class InterferenceCaseLink(models.Model):
    """An entry linked to an accountability case; shown on the case page to
    those who may see the entry. The link is not part of the entry, so
    linking and unlinking leave the entry itself untouched."""

    entry = models.ForeignKey(
        InterferenceEntry, on_delete=models.PROTECT, related_name="case_links"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="interference_links"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(_("关联时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("干预记录关联案件")
        verbose_name_plural = _("干预记录关联案件")
        ordering = ["linked_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "case"], name="interference_link_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} → {self.case_id}"
