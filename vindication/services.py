"""Clarification after false accusations (澄清正名) and the no-impact
certificate (不受影响证明).

A clarification record moves recorded → found untrue → clarification decided
→ notice issued, or ends substantiated or closed without clarification. Each
move locks the record, checks the move against the flow's table (vindication.workflow.FLOW) and writes
its audit event in the same transaction; a refusal changes nothing. The
notice is rendered when the decision is recorded (well under a second) and
stored on the record with its SHA-256."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Officer, Unit, User
from accounts.numbering import next_sequence, register_number
from audit.models import AuditEventType
from audit.services import audit_record
from cases.models import Case, PublicationScope, SubjectOfficer
from documents.builders.certificate import certificate_determination
from documents.formatting import chinese_date
from documents.kinds import DocumentKind
from documents.models import Document
from documents.register import document_number_issue
from documents.rendering import render_pdf
from documents.services import document_request
from exemptions.selectors import regulation_version_for
from vindication import errors
from vindication.documents import clarification_notice_context
from vindication.models import AccusationChannel, AccusationKind, ClarificationRecord
from vindication.workflow import FLOW, MANAGER

State = ClarificationRecord.State


def _check_date(value: datetime.date | None, field: str, *, not_before=None, before_label=""):
    if value is None:
        raise ValidationError({field: errors.DATE_MISSING})
    if value > timezone.localdate():
        raise ValidationError({field: errors.DATE_IN_FUTURE})
    if not_before is not None and value < not_before:
        raise ValidationError(
            {
                field: errors.DATE_TOO_EARLY
                % {"what": before_label, "date": chinese_date(not_before)}
            }
        )


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _lock(record: ClarificationRecord) -> ClarificationRecord:
    return (
        # Only the record's row: PostgreSQL cannot lock the nullable side of
        # the join to its case.
        ClarificationRecord.objects.select_for_update(of=("self",))
        .select_related("unit", "regulation", "case")
        .get(pk=record.pk)
    )


def _require_manager(actor: User, record: ClarificationRecord) -> None:
    if not actor.has_perm(FLOW.actors[MANAGER].permission, record):
        if actor.has_perm("vindication.view_clarification", record):
            raise PermissionDenied(str(errors.OWN_RECORD))
        raise PermissionDenied(str(errors.MAY_NOT_HANDLE))


def _officer_names(record: ClarificationRecord) -> str:
    return "、".join(o.name for o in record.officers.all())


# --- recording the accusation ------------------------------------------------------------


def clarification_record(
    *,
    actor: User,
    officers: Sequence[Officer],
    kind: str,
    channel: str,
    received_on: datetime.date,
    content: str,
    source: str = "",
    case: Case | None = None,
) -> ClarificationRecord:
    """Record an accusation against one or more officers of one unit, by a
    leader or administrator overseeing that unit; optionally linked to the
    case in which it was looked into (the officers must be its subjects)."""
    officers = list(dict.fromkeys(officers))
    if not officers:
        raise ValidationError({"officers": errors.OFFICERS_MISSING})
    unit_ids = {o.unit_id for o in officers}
    if len(unit_ids) > 1:
        raise ValidationError({"officers": errors.OFFICERS_OF_SEVERAL_UNITS})
    unit = Unit.objects.get(pk=unit_ids.pop())
    if not actor.has_perm(FLOW.actors[FLOW.created_by].permission, unit):
        raise PermissionDenied(str(errors.MAY_NOT_HANDLE))
    if any(o.user_id == actor.pk for o in officers):
        raise PermissionDenied(str(errors.OWN_RECORD))
    if kind not in AccusationKind.values:
        raise ValidationError({"kind": errors.NATURE_MISSING})
    if channel not in AccusationChannel.values:
        raise ValidationError({"channel": errors.CHANNEL_MISSING})
    _check_date(received_on, "received_on")
    content = _required(content, "content", errors.CONTENT_MISSING)
    if case is not None:
        if not actor.has_perm("cases.view_case", case):
            raise ValidationError({"case": errors.CASE_NOT_FOUND})
        subjects = set(
            SubjectOfficer.objects.filter(case=case).values_list("officer_id", flat=True)
        )
        outside = [o.name for o in officers if o.pk not in subjects]
        if outside:
            raise ValidationError(
                {"case": errors.NOT_SUBJECTS_OF_CASE % {"names": "、".join(outside)}}
            )
        regulation = case.regulation
    else:
        regulation = regulation_version_for(unit.jurisdiction, timezone.localdate())
        if regulation is None:
            raise ValidationError(errors.NO_REGULATION % {"unit": unit})
    with transaction.atomic():
        record = ClarificationRecord.objects.create(
            unit=unit,
            regulation=regulation,
            case=case,
            kind=kind,
            channel=channel,
            source=(source or "").strip(),
            received_on=received_on,
            content=content,
            recorded_by=actor,
        )
        record.officers.set(officers)
        audit_record(
            event_type=AuditEventType.CLARIFICATION_RECORDED,
            actor=actor,
            case=case,
            obj=record,
            summary=_("登记对%(names)s的%(kind)s")
            % {"names": "、".join(o.name for o in officers), "kind": record.get_kind_display()},
            data={
                "officers": [o.pk for o in officers],
                "kind": kind,
                "channel": channel,
                "received_on": received_on,
                "case": case.pk if case else None,
            },
        )
    return record


# --- the finding ---------------------------------------------------------------------------


def clarification_finding_record(
    *,
    actor: User,
    record: ClarificationRecord,
    untrue: bool,
    found_by: str,
    found_on: datetime.date,
    basis: str,
) -> ClarificationRecord:
    """Record who found, when and on what basis whether the accusation was
    untrue (the record may then be clarified) or substantiated (it ends)."""
    _require_manager(actor, record)
    found_by = _required(found_by, "found_by", errors.VERIFIER_MISSING)
    basis = _required(basis, "basis", errors.VERIFICATION_BASIS_MISSING)
    with transaction.atomic():
        record = _lock(record)
        FLOW.require_move(record, "find", State.FOUND_UNTRUE if untrue else State.SUBSTANTIATED)
        _check_date(
            found_on, "found_on", not_before=record.received_on, before_label=_("收到反映的日期")
        )
        record.found_by = found_by
        record.found_on = found_on
        record.finding_basis = basis
        record.finding_recorded_by = actor
        record.finding_recorded_at = timezone.now()
        record.state = State.FOUND_UNTRUE if untrue else State.SUBSTANTIATED
        record.save(
            update_fields=[
                "found_by",
                "found_on",
                "finding_basis",
                "finding_recorded_by",
                "finding_recorded_at",
                "state",
            ]
        )
        audit_record(
            event_type=AuditEventType.CLARIFICATION_FINDING_RECORDED,
            actor=actor,
            case=record.case,
            obj=record,
            summary=_("核实对%(names)s的反映：%(state)s")
            % {"names": _officer_names(record), "state": record.get_state_display()},
            data={
                "before": State.RECORDED,
                "after": record.state,
                "found_by": found_by,
                "found_on": found_on,
            },
        )
    return record


def clarification_close(
    *, actor: User, record: ClarificationRecord, reason: str
) -> ClarificationRecord:
    """End a record without clarification (e.g. the accusation was withdrawn,
    or the officer asks that nothing be published), with the reason."""
    _require_manager(actor, record)
    reason = _required(reason, "reason", errors.NOT_CLARIFIED_REASON_MISSING)
    with transaction.atomic():
        record = _lock(record)
        FLOW.require_move(record, "close")
        before = record.state
        record.state = State.CLOSED
        record.closing_reason = reason
        record.save(update_fields=["state", "closing_reason"])
        audit_record(
            event_type=AuditEventType.CLARIFICATION_CLOSED,
            actor=actor,
            case=record.case,
            obj=record,
            summary=_("了结对%(names)s的反映，不予澄清") % {"names": _officer_names(record)},
            data={"before": before, "after": record.state, "reason": reason},
        )
    return record


# --- the decision and the notice ---------------------------------------------------------


def _allocate_number(record: ClarificationRecord, year: int) -> None:
    """The notice's number: 泰市监澄〔2026〕1号, per unit and year. The unit
    row is locked so two decisions never take the same number."""
    unit = record.unit
    record.year = year
    record.sequence = next_sequence(ClarificationRecord, unit=unit, year=year)
    record.number = register_number(unit, "澄", year, record.sequence)


def clarification_decide(
    *,
    actor: User,
    record: ClarificationRecord,
    decided_by: str,
    decided_on: datetime.date,
    scope: str,
    scope_detail: str = "",
) -> ClarificationRecord:
    """Record the decision to clarify and its scope of publication, and
    render the clarification notice. Until the notice is issued the decision
    may be recorded again (a new notice replaces the draft; the audit trail
    keeps the old one's SHA-256)."""
    _require_manager(actor, record)
    decided_by = _required(decided_by, "decided_by", errors.DECIDING_BODY_MISSING)
    if scope not in PublicationScope.values:
        raise ValidationError({"scope": errors.SCOPE_MISSING})
    scope_detail = (scope_detail or "").strip()
    with transaction.atomic():
        record = _lock(record)
        FLOW.require_move(record, "decide")
        _check_date(
            decided_on, "decided_on", not_before=record.found_on, before_label=_("核实日期")
        )
        before = {
            "state": record.state,
            "scope": record.scope,
            "decided_on": record.decided_on,
            "sha256": record.notice_sha256,
        }
        record.decided_by = decided_by
        record.decided_on = decided_on
        record.scope = scope
        record.scope_detail = scope_detail
        record.decision_recorded_by = actor
        record.decision_recorded_at = timezone.now()
        record.state = State.CLARIFICATION_DECIDED
        if not record.number:
            _allocate_number(record, decided_on.year)
        pdf = render_pdf(
            "documents/clarification_notice.html", clarification_notice_context(record)
        )
        record.notice_file.save(
            f"{record.pk}/clarification-notice-{record.pk}.pdf",
            ContentFile(pdf.content),
            save=False,
        )
        record.notice_sha256 = hashlib.sha256(pdf.content).hexdigest()
        record.notice_size = len(pdf.content)
        record.notice_page_count = pdf.page_count
        record.save(
            update_fields=[
                "decided_by",
                "decided_on",
                "scope",
                "scope_detail",
                "decision_recorded_by",
                "decision_recorded_at",
                "state",
                "year",
                "sequence",
                "number",
                "notice_file",
                "notice_sha256",
                "notice_size",
                "notice_page_count",
            ]
        )
        audit_record(
            event_type=AuditEventType.CLARIFICATION_DECIDED,
            actor=actor,
            case=record.case,
            obj=record,
            summary=_("决定为%(names)s澄清正名（%(scope)s），生成澄清正名通知%(number)s")
            % {
                "names": _officer_names(record),
                "scope": record.get_scope_display(),
                "number": record.number,
            },
            data={
                "before": before,
                "after": {
                    "state": record.state,
                    "scope": scope,
                    "scope_detail": scope_detail,
                    "decided_by": decided_by,
                    "decided_on": decided_on,
                    "sha256": record.notice_sha256,
                },
                "number": record.number,
                "pages": record.notice_page_count,
            },
        )
    return record


def clarification_notice_issue(
    *, actor: User, record: ClarificationRecord, issued_on: datetime.date
) -> ClarificationRecord:
    """Issue the notice within the decided scope; nothing changes after."""
    _require_manager(actor, record)
    with transaction.atomic():
        record = _lock(record)
        FLOW.require_move(record, "issue")
        _check_date(
            issued_on, "issued_on", not_before=record.decided_on, before_label=_("决定日期")
        )
        record.state = State.NOTICE_ISSUED
        record.issued_on = issued_on
        record.issued_by = actor
        record.issued_at = timezone.now()
        record.save(update_fields=["state", "issued_on", "issued_by", "issued_at"])
        audit_record(
            event_type=AuditEventType.CLARIFICATION_NOTICE_ISSUED,
            actor=actor,
            case=record.case,
            obj=record,
            summary=_("发布澄清正名通知%(number)s（%(scope)s）")
            % {"number": record.number, "scope": record.get_scope_display()},
            data={
                "before": State.CLARIFICATION_DECIDED,
                "after": record.state,
                "issued_on": issued_on,
                "sha256": record.notice_sha256,
            },
        )
    return record


def clarification_notice_download_record(*, actor: User, record: ClarificationRecord) -> None:
    """Every download of a notice is an audit event."""
    if not actor.has_perm("vindication.view_clarification", record):
        raise PermissionDenied(str(errors.MAY_NOT_HANDLE))
    with transaction.atomic():
        audit_record(
            event_type=AuditEventType.CLARIFICATION_NOTICE_DOWNLOADED,
            actor=actor,
            case=record.case,
            obj=record,
            summary=_("下载澄清正名通知%(number)s") % {"number": record.number},
            data={"sha256": record.notice_sha256, "state": record.state},
        )


# --- the no-impact certificate -----------------------------------------------------------


def may_request_certificate(actor: User, case: Case, subject_officer: SubjectOfficer) -> bool:
    """Case office, leadership and personnel of a unit that sees the case,
    and the officer concerned for themself."""
    if actor.has_perm("vindication.request_certificate", case):
        return True
    return subject_officer.officer.user_id == actor.pk and actor.has_perm("cases.view_case", case)


def certificate_request(*, actor: User, case: Case, subject_officer: SubjectOfficer) -> Document:
    """Queue the no-impact certificate of an officer whose determination is
    final and exempt or no-fault; refused otherwise, recording nothing."""
    if subject_officer.case_id != case.pk:
        raise ValidationError(errors.NOT_A_SUBJECT_OFFICER)
    if not may_request_certificate(actor, case, subject_officer):
        raise PermissionDenied(errors.MAY_NOT_REQUEST_CERTIFICATE)
    try:
        certificate_determination(case, subject_officer.pk)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    kind = DocumentKind.NO_IMPACT_CERTIFICATE
    options = {"subject_officer_id": subject_officer.pk}
    pending = Document.objects.filter(
        case=case,
        kind=kind,
        options=options,
        status__in=[Document.Status.QUEUED, Document.Status.RUNNING],
    )
    if pending.exists():
        raise ValidationError(str(errors.CERTIFICATE_PENDING))
    with transaction.atomic():
        document_number_issue(
            case=case,
            kind=kind,
            key=str(subject_officer.pk),
            title=f"关于{subject_officer.officer.name}同志不受影响的证明",
            issued_by=actor,
        )
        return document_request(case=case, kind=kind, requested_by=actor, options=options)
