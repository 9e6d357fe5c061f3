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
