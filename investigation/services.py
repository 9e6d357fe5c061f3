"""The investigation report: saved in versions (a stale edit is refused, never
silently applied) and signed off by the lead investigator."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as _noop

from accounts.models import User
from audit.messages import history_message
from audit.models import AuditEventType
from audit.services import audit_record
from cases.models import Case, SubjectOfficer
from cases.services.transitions import lock_case
from cases.workflow import CaseState
from exemptions.selectors import catalog_for_version
from investigation.models import ClauseConclusion, InvestigationReport, ReportConclusion

STALE_REPORT = gettext_lazy(
    "调查报告已被他人修改（当前为第%(current)s版，您编辑的是第%(yours)s版）。请刷新后重新修改，您的修改未保存。"
)


class StaleEdit(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ConclusionInput:
    subject_officer: SubjectOfficer
    clause_ref: str
    conclusion: str
    reasoning: str = ""


def _check_conclusions(case: Case, conclusions: Sequence[ConclusionInput]) -> None:
    refs = catalog_for_version(case.regulation).by_ref
    for item in conclusions:
        if item.clause_ref not in refs:
            raise ValidationError(
                _("条款 %(ref)s 不属于本案适用的免责办法。") % {"ref": item.clause_ref}
            )
        if item.subject_officer.case_id != case.pk:
            raise ValidationError(_("该执法人员不是本案的涉案人员。"))
        if item.conclusion not in ClauseConclusion.values:
            raise ValidationError(_("结论无效。"))


def report_save(
    *,
    actor: User,
    case: Case,
    findings_summary: str,
    conclusion: str,
    conclusions: Sequence[ConclusionInput],
    base_version: int | None,
) -> InvestigationReport:
    """Create the report, or update it from the version the editor started
    from. An edit based on an older version is refused with StaleEdit."""
    if not actor.has_perm("investigation.edit_report", case):
        raise PermissionDenied(_("您无权编辑调查报告。"))
    if not findings_summary.strip():
        raise ValidationError({"findings_summary": _("请填写调查认定的事实。")})
    if not conclusion.strip():
        raise ValidationError({"conclusion": _("请填写调查结论。")})
    _check_conclusions(case, conclusions)
    with transaction.atomic():
        case = lock_case(case.pk)
        if case.state != CaseState.INVESTIGATING:
            raise ValidationError(_("只有调查核实阶段可以编辑调查报告。"))
        report = InvestigationReport.objects.filter(case=case).first()
        if report is None:
            if base_version not in (None, 0):
                raise StaleEdit(STALE_REPORT % {"current": 0, "yours": base_version})
            report = InvestigationReport.objects.create(
                case=case,
                findings_summary=findings_summary.strip(),
                conclusion=conclusion.strip(),
                updated_by=actor,
            )
            before = None
        else:
            if report.signed_off_at:
                raise ValidationError(_("调查报告已签发，不能再修改。"))
            if base_version is None:
                raise StaleEdit(STALE_REPORT % {"current": report.version, "yours": 0})
            before = {"version": report.version, "conclusion": report.conclusion}
            # Compare-and-set on the version: only the editor who started from
            # the current version wins.
            updated = InvestigationReport.objects.filter(pk=report.pk, version=base_version).update(
                version=F("version") + 1,
                findings_summary=findings_summary.strip(),
                conclusion=conclusion.strip(),
                updated_by=actor,
                updated_at=timezone.now(),
            )
            if not updated:
                raise StaleEdit(STALE_REPORT % {"current": report.version, "yours": base_version})
            report.refresh_from_db()
        report.clause_conclusions.all().delete()
        ReportConclusion.objects.bulk_create(
            ReportConclusion(
                report=report,
                subject_officer=item.subject_officer,
                clause_ref=item.clause_ref,
                conclusion=item.conclusion,
                reasoning=item.reasoning.strip(),
            )
            for item in conclusions
        )
        audit_record(
            event_type=AuditEventType.REPORT_SAVED,
            actor=actor,
            case=case,
            obj=report,
            summary=history_message(_noop("保存调查报告第%(version)s版"), version=report.version),
            data={
                "before": before,
                "after": {
                    "version": report.version,
                    "conclusion": report.conclusion,
                    "clauses": [
                        [c.subject_officer.pk, c.clause_ref, c.conclusion] for c in conclusions
                    ],
                },
            },
        )
    return report


def report_sign_off(*, actor: User, case: Case, version: int) -> InvestigationReport:
    """The lead investigator signs the version they read; the report is then
    submitted and can no longer change."""
    if not actor.has_perm("investigation.sign_off_report", case):
        raise PermissionDenied(_("只有调查组长可以签发调查报告。"))
    with transaction.atomic():
        case = lock_case(case.pk)
        if case.state != CaseState.INVESTIGATING:
            raise ValidationError(_("只有调查核实阶段可以签发调查报告。"))
        report = InvestigationReport.objects.select_for_update().filter(case=case).first()
        if report is None:
            raise ValidationError(_("尚未形成调查报告。"))
        if report.signed_off_at:
            raise ValidationError(_("调查报告已签发。"))
        if report.version != version:
            raise StaleEdit(STALE_REPORT % {"current": report.version, "yours": version})
        report.signed_off_by = actor
        report.signed_off_at = timezone.now()
        report.save(update_fields=["signed_off_by", "signed_off_at"])
        audit_record(
            event_type=AuditEventType.REPORT_SIGNED_OFF,
            actor=actor,
            case=case,
            obj=report,
            summary=history_message(
                _noop("调查组长签发调查报告第%(version)s版"), version=report.version
            ),
            data={"version": report.version},
        )
    return report
