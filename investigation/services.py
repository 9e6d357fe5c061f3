"""The investigation report: saved in versions (a stale edit is refused, never
silently applied) and signed off by the lead investigator."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_noop as _noop

from accounts.models import User
from audit.messages import history_message
from audit.models import AuditEventType
from audit.services import audit_record
from cases import errors as cases_errors
from cases.models import Case, SubjectOfficer
from cases.services.transitions import lock_case
from cases.workflow import CaseState
from exemptions.selectors import catalog_for_version
from investigation import errors
from investigation.models import ClauseConclusion, InvestigationReport, ReportConclusion


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
            raise ValidationError(errors.CLAUSE_OUTSIDE_REGULATION % {"ref": item.clause_ref})
        if item.subject_officer.case_id != case.pk:
            raise ValidationError(cases_errors.NOT_A_SUBJECT_OFFICER)
        if item.conclusion not in ClauseConclusion.values:
            raise ValidationError(errors.CLAUSE_CONCLUSION_INVALID)


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
        raise PermissionDenied(errors.MAY_NOT_EDIT_REPORT)
    if not findings_summary.strip():
        raise ValidationError({"findings_summary": errors.FINDINGS_MISSING})
    if not conclusion.strip():
        raise ValidationError({"conclusion": errors.CONCLUSION_MISSING})
    _check_conclusions(case, conclusions)
    with transaction.atomic():
        case = lock_case(case.pk)
        if case.state != CaseState.INVESTIGATING:
            raise ValidationError(errors.EDIT_NOT_IN_INVESTIGATION)
        report = InvestigationReport.objects.filter(case=case).first()
        if report is None:
            if base_version not in (None, 0):
                raise StaleEdit(errors.STALE_REPORT % {"current": 0, "yours": base_version})
            report = InvestigationReport.objects.create(
                case=case,
                findings_summary=findings_summary.strip(),
                conclusion=conclusion.strip(),
                updated_by=actor,
            )
            before = None
        else:
            if report.signed_off_at:
                raise ValidationError(errors.REPORT_FIXED_AFTER_SIGN_OFF)
            if base_version is None:
                raise StaleEdit(errors.STALE_REPORT % {"current": report.version, "yours": 0})
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
                raise StaleEdit(
                    errors.STALE_REPORT % {"current": report.version, "yours": base_version}
                )
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
        raise PermissionDenied(errors.MAY_NOT_SIGN_OFF_REPORT)
    with transaction.atomic():
        case = lock_case(case.pk)
        if case.state != CaseState.INVESTIGATING:
            raise ValidationError(errors.SIGN_OFF_NOT_IN_INVESTIGATION)
        report = InvestigationReport.objects.select_for_update().filter(case=case).first()
        if report is None:
            raise ValidationError(errors.NO_REPORT_YET)
        if report.signed_off_at:
            raise ValidationError(errors.REPORT_ALREADY_SIGNED_OFF)
        if report.version != version:
            raise StaleEdit(errors.STALE_REPORT % {"current": report.version, "yours": version})
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
