"""The audit trail: an append-only, hash-chained log of every action.

Rows are written only by `audit.services.audit_record`, inside the caller's
transaction. Each row's hash covers its content and the previous row's hash,
so `manage.py verify_audit` can tell whether any row was altered, removed or
reordered. The database refuses UPDATE and DELETE on the table (triggers,
see `audit.triggers`); the model and its queryset refuse them too.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64
CHAIN_HEAD_ID = 1

sha256_hex = RegexValidator(r"\A[0-9a-f]{64}\Z", _("应为 64 位十六进制 SHA-256 值。"))


class AuditEventImmutableError(Exception):
    """Raised on any attempt to change or remove a recorded audit event."""


IMMUTABLE_MESSAGE = "Audit events are append-only: they cannot be changed or deleted."
USE_SERVICE_MESSAGE = "Audit events are appended one at a time by audit.services.audit_record."


class AuditEventType(models.TextChoices):
    CASE_CREATED = "case_created", _("登记案件")
    CASE_UPDATED = "case_updated", _("修改案件信息")
    CASE_TRANSITIONED = "case_transitioned", _("案件流转")
    REGULATION_CHANGED = "regulation_changed", _("变更适用规定")
    OFFICER_ADDED = "officer_added", _("增加涉案执法人员")
    EVIDENCE_UPLOADED = "evidence_uploaded", _("上传证据材料")
    EVIDENCE_DOWNLOADED = "evidence_downloaded", _("下载证据材料")
    FACT_RECORDED = "fact_recorded", _("记录调查事实")
    CLAIM_RECORDED = "claim_recorded", _("记录免责主张")
    REPORT_SAVED = "report_saved", _("保存调查报告")
    REPORT_SIGNED_OFF = "report_signed_off", _("调查报告定稿")
    EXPERT_OPINION_RECORDED = "expert_opinion_recorded", _("记录专家论证意见")
    PANEL_CONCLUDED = "panel_concluded", _("专家论证结束")
    MEETING_SCHEDULED = "meeting_scheduled", _("安排集体研究会议")
    ATTENDANCE_RECORDED = "attendance_recorded", _("记录参会情况")
    VOTE_RECORDED = "vote_recorded", _("记录表决意见")
    VOTE_CLOSED = "vote_closed", _("结束表决")
    DETERMINATION_RECORDED = "determination_recorded", _("记录认定结论")
    DOCUMENT_REQUESTED = "document_requested", _("申请生成文书")
    DOCUMENT_GENERATED = "document_generated", _("生成文书")
    DOCUMENT_DOWNLOADED = "document_downloaded", _("下载文书")
    FILING_PACKAGE_BUILT = "filing_package_built", _("生成备案材料包")
    FILING_PACKAGE_DOWNLOADED = "filing_package_downloaded", _("下载备案材料包")
    FILING_PACKAGE_VERIFIED = "filing_package_verified", _("核验备案材料包签名")
    FILING_ACKNOWLEDGED = "filing_acknowledged", _("确认收到备案")
    PUBLICATION_RECORDED = "publication_recorded", _("记录公开情况")
    DEADLINE_NOTIFIED = "deadline_notified", _("发送期限提醒")
    TEAM_ASSIGNED = "team_assigned", _("指派调查组")
    CATALOG_LOADED = "catalog_loaded", _("加载免责情形目录")
    CATALOG_CHANGE_SUBMITTED = "catalog_change_submitted", _("提交免责目录变更")
    CATALOG_CHANGE_APPROVED = "catalog_change_approved", _("批准免责目录变更")
    CATALOG_CHANGE_REJECTED = "catalog_change_rejected", _("退回免责目录变更")
    CATALOG_CHANGE_ACTIVATED = "catalog_change_activated", _("免责目录变更生效")
    # filing: publication withdrawal, transfer to the discipline organs
    PUBLICATION_WITHDRAWN = "publication_withdrawn", _("撤回公开")
    TRANSFER_RECORDED = "transfer_recorded", _("移送纪检监察机关")
    TRANSFER_CASE_FILE_DOWNLOADED = "transfer_case_file_downloaded", _("下载移送案卷")
    ORGAN_SANCTION_RECORDED = "organ_sanction_recorded", _("记录纪检监察机关处分情况")
    DUTY_OPINION_RECORDED = "duty_opinion_recorded", _("出具依法履职情况书面意见")
    # protections: the interference register and protection requests
    PROTECTION_DESIGNATION_GRANTED = "protection_designation_granted", _("指定查阅人或承办人")
    PROTECTION_DESIGNATION_REVOKED = "protection_designation_revoked", _("取消指定查阅人或承办人")
    INTERFERENCE_RECORDED = "interference_recorded", _("记录干预执法情况")
    INTERFERENCE_CORRECTED = "interference_corrected", _("更正干预执法记录")
    INTERFERENCE_ATTACHMENT_DOWNLOADED = (
        "interference_attachment_downloaded",
        _("下载干预记录附件"),
    )
    INTERFERENCE_REGISTER_EXPORTED = "interference_register_exported", _("导出干预执法记录")
    INTERFERENCE_CASE_LINKED = "interference_case_linked", _("干预记录关联案件")
    INTERFERENCE_CASE_UNLINKED = "interference_case_unlinked", _("取消干预记录关联案件")
    PROTECTION_REQUESTED = "protection_requested", _("提出保护申请")
    PROTECTION_STATUS_CHANGED = "protection_status_changed", _("保护申请状态变更")
    PROTECTION_POLICE_RECORDED = "protection_police_recorded", _("记录协调公安机关情况")
    # vindication: clarification after false accusations
    CLARIFICATION_RECORDED = "clarification_recorded", _("登记不实反映")
    CLARIFICATION_FINDING_RECORDED = "clarification_finding_recorded", _("记录不实反映核实结论")
    CLARIFICATION_CLOSED = "clarification_closed", _("了结不实反映（不予澄清）")
    CLARIFICATION_DECIDED = "clarification_decided", _("决定澄清正名")
    CLARIFICATION_NOTICE_ISSUED = "clarification_notice_issued", _("发布澄清正名通知")
    CLARIFICATION_NOTICE_DOWNLOADED = "clarification_notice_downloaded", _("下载澄清正名通知")
    # 三员分立: administrative changes and account security
    ADMIN_OBJECT_CREATED = "admin_object_created", _("新增管理配置")
    ADMIN_OBJECT_CHANGED = "admin_object_changed", _("修改管理配置")
    ADMIN_OBJECT_DELETED = "admin_object_deleted", _("删除管理配置")
    ACCOUNT_CREATED = "account_created", _("创建账号")
    ACCOUNT_CHANGED = "account_changed", _("修改账号")
    ACCOUNT_DISABLED = "account_disabled", _("停用账号")
    ROLES_CHANGED = "roles_changed", _("变更角色")
    LOGIN_LOCKED_OUT = "login_locked_out", _("登录失败次数过多被锁定")
    ACCOUNT_UNLOCKED = "account_unlocked", _("解除登录锁定")
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("绑定动态口令")
    SECOND_FACTOR_RESET = "second_factor_reset", _("重置动态口令")
    # exports of lists and figures (issue 18)
    CASE_LIST_EXPORTED = "case_list_exported", _("导出案件列表")
    OVERVIEW_EXPORTED = "overview_exported", _("导出统计概览")


class AuditEventQuerySet(models.QuerySet):
    """Bulk writes would bypass both the chain and the model's guards."""

    def update(self, **kwargs):
        raise AuditEventImmutableError(IMMUTABLE_MESSAGE)

    def delete(self):
        raise AuditEventImmutableError(IMMUTABLE_MESSAGE)

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditEventImmutableError(IMMUTABLE_MESSAGE)

    def bulk_create(self, objs, *args, **kwargs):
        raise AuditEventImmutableError(USE_SERVICE_MESSAGE)


class AuditEvent(models.Model):
    sequence = models.PositiveBigIntegerField(_("序号"), unique=True)
    occurred_at = models.DateTimeField(_("发生时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    # The name as it was when the event happened; null actor means a system job.
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    event_type = models.CharField(_("事件类型"), max_length=40, choices=AuditEventType.choices)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
        # The (case, sequence) index below serves lookups by case.
        db_index=False,
    )
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象标识"), max_length=64, blank=True)
    summary = models.CharField(_("摘要"), max_length=500, blank=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)
    previous_hash = models.CharField(_("前一事件哈希"), max_length=64, validators=[sha256_hex])
    # The id of the HMAC key the hash was made with (audit.keys); empty for
    # events written before the chain was keyed.
    key_id = models.CharField(_("密钥标识"), max_length=16, blank=True, default="")
    hash = models.CharField(_("哈希"), max_length=64, unique=True, validators=[sha256_hex])

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["sequence"]
        indexes = [models.Index(fields=["case", "sequence"], name="audit_event_case_sequence")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sequence__gte=1), name="audit_event_sequence_from_one"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.event_type}"

    def save(self, *args, **kwargs):
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AuditEventImmutableError(IMMUTABLE_MESSAGE)
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditEventImmutableError(IMMUTABLE_MESSAGE)

    @property
    def summary_text(self) -> str:
        """The summary in the reader's language (audit.messages)."""
        from audit.messages import event_summary_text

        return event_summary_text(self)

    @property
    def localized_summary(self) -> str | None:
        """The summary in the reader's language, None when only the stored
        Chinese text can be shown."""
        from audit.messages import localized_summary

        return localized_summary(self)

    @property
    def localized_summary_html(self) -> str | None:
        """localized_summary as safe HTML, the case data in it marked."""
        from audit.messages import localized_summary

        return localized_summary(self, html=True)


class AuditChainHead(models.Model):
    """The one row (id=1) holding the end of the chain. `audit_record` locks it
    (SELECT … FOR UPDATE) so concurrent writers append one after another
    instead of forking the chain."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH, validators=[sha256_hex])

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id=CHAIN_HEAD_ID), name="audit_chain_head_singleton"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.last_sequence} {self.last_hash[:12]}"
