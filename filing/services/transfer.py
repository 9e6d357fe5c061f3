"""The discipline-inspection and supervision organs (纪检监察机关).

- Transfer (移送, Lianyungang art. 13): an officer whose adopted determination
  is 移送纪检监察机关 has the matter sent to the organs, with a transfer letter
  listing the case file.
- The organs' sanction for the same act is recorded once; after it the bureau
  gives that officer no second sanction or measure for the act
  (`second_sanction_refusal`, also checked where determinations are proposed).
- When the organs intervene (Case.organs_intervened; Tai'an art. 9 para. 3,
  Lianyungang art. 14) the bureau gives them a written opinion on whether the
  officers performed their duties."""

import datetime
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_noop as _noop

from accounts.models import DisciplineBody, User
from audit.messages import history_message
from audit.models import AuditEventType
from audit.services import audit_record
from cases.models import Case, SubjectOfficer
from cases.rules import can_see_case, case_office, leadership
from cases.services.transitions import lock_case
from cases.workflow import STAGES, states_where
from deliberation.models import Determination, Outcome
from deliberation.selectors import leadership_of_unit
from documents.builders.transfer import CASE_FILE_KINDS
from documents.formatting import chinese_date
from documents.kinds import DocumentKind
from documents.register import document_number_issue
from documents.services import document_pdf, document_request
from filing import errors
from filing.models import DisciplineTransfer, DutyOpinion, DutyOpinionItem, OrganSanction
from filing.services.filing import case_json, evidence_files, zip_with_manifest

# Who records transfers, the organs' sanctions and the duty opinion: the case
# office and the leadership of a unit that sees the case.
may_handle_transfer = (case_office | leadership) & can_see_case
# Outcomes and fields by which the bureau itself sanctions an officer.
SANCTIONING_OUTCOMES = frozenset({Outcome.LIABLE, Outcome.MITIGATED})
CLOSED_STATES = frozenset(STAGES) - states_where("on_record")


def _require(actor: User, case: Case, message: str | Promise) -> None:
    if not may_handle_transfer(actor, case):
        raise PermissionDenied(message)


def _not_in_future(value: datetime.date, field: str) -> None:
    if value > timezone.localdate():
        raise ValidationError({field: errors.DATE_IN_FUTURE})


def _organ(
    discipline_body: DisciplineBody | None, organ_name: str, field: str = "organ_name"
) -> tuple[DisciplineBody | None, str]:
    """A known body, or an organ named in free text (e.g. a procuratorate)."""
    if discipline_body is not None:
        return discipline_body, discipline_body.name
    name = organ_name.strip()
    if not name:
        raise ValidationError({field: errors.ORGAN_MISSING})
    return None, name


def _latest_adopted(subject_officer: SubjectOfficer) -> Determination | None:
    return (
        Determination.objects.filter(
            subject_officer=subject_officer, status=Determination.Status.ADOPTED
        )
        .order_by("-decided_at", "-pk")
        .first()
    )


# --- transfer --------------------------------------------------------------------------


def transfer_record(
    *,
    actor: User,
    determination: Determination,
    transferred_on: datetime.date,
    discipline_body: DisciplineBody | None = None,
    organ_name: str = "",
    note: str = "",
) -> DisciplineTransfer:
    """Record that an officer's matter was sent to the discipline-inspection
    and supervision organs, and request the transfer letter (移送函). Only for
    the officer's adopted determination of 移送纪检监察机关, once."""
    case = determination.case
    _require(actor, case, errors.MAY_NOT_TRANSFER)
    body, name = _organ(discipline_body, organ_name)
    _not_in_future(transferred_on, "transferred_on")
    with transaction.atomic():
        case = lock_case(case.pk)
        determination = Determination.objects.select_related("subject_officer__officer").get(
            pk=determination.pk
        )
        if case.state in CLOSED_STATES:
            raise ValidationError(
                errors.TRANSFER_NOT_IN_STATE % {"state": case.get_state_display()}
            )
        if determination.outcome != Outcome.TRANSFERRED or not determination.is_adopted:
            raise ValidationError(
                errors.TRANSFER_NEEDS_ADOPTED_TRANSFER
                % {
                    "outcome": determination.get_outcome_display(),
                    "status": determination.get_status_display(),
                }
            )
        latest = _latest_adopted(determination.subject_officer)
        if latest is not None and latest.pk != determination.pk:
            raise ValidationError(errors.DETERMINATION_SUPERSEDED)
        if DisciplineTransfer.objects.filter(determination=determination).exists():
            raise ValidationError(errors.ALREADY_TRANSFERRED)
        if (
            determination.decided_at
            and transferred_on < timezone.localtime(determination.decided_at).date()
        ):
            raise ValidationError({"transferred_on": errors.TRANSFER_BEFORE_DECISION})
        subject_officer = determination.subject_officer
        document_number_issue(
            case=case,
            kind=DocumentKind.TRANSFER_LETTER,
            key=str(subject_officer.pk),
            title=f"关于移送{subject_officer.officer.name}涉嫌违纪违法问题线索的函",
            issued_on=transferred_on,
            issued_by=actor,
        )
        letter = document_request(
            case=case,
            kind=DocumentKind.TRANSFER_LETTER,
            requested_by=actor,
            options={"subject_officer_id": subject_officer.pk},
        )
        transfer = DisciplineTransfer.objects.create(
            case=case,
            subject_officer=subject_officer,
            determination=determination,
            discipline_body=body,
            organ_name=name,
            transferred_on=transferred_on,
            note=note.strip(),
            letter=letter,
            recorded_by=actor,
        )
        audit_record(
            event_type=AuditEventType.TRANSFER_RECORDED,
            actor=actor,
            case=case,
            obj=transfer,
            summary=history_message(
                _noop("将%(officer)s的问题线索移送%(organ)s"),
                officer=subject_officer.officer.name,
                organ=name,
            ),
            data={
                "subject_officer": subject_officer.pk,
                "determination": determination.pk,
                "organ": name,
                "discipline_body": body.pk if body else None,
                "transferred_on": transferred_on.isoformat(),
                "letter": letter.pk,
            },
        )
    return transfer


@dataclass(frozen=True)
class TransferCaseFile:
    filename: str
    content: bytes
    manifest: dict


def transfer_case_file(*, actor: User, transfer: DisciplineTransfer) -> TransferCaseFile:
    """The transfer letter with the case file (移送函及案卷材料, Lianyungang
    art. 13) as one ZIP: the letter, every document of the case file, the
    evidence, case.json and a manifest with the SHA-256 of each file. Each
    download is an audit event."""
    case = transfer.case
    _require(actor, case, errors.MAY_NOT_DOWNLOAD_TRANSFER_FILE)
    subject_officer = transfer.subject_officer
    letter = document_pdf(case, DocumentKind.TRANSFER_LETTER, subject_officer_id=subject_officer.pk)
    files = [(f"01-{DocumentKind.TRANSFER_LETTER.label}.pdf", letter)]
    for index, kind in enumerate(CASE_FILE_KINDS, start=2):
        try:
            files.append((f"{index:02d}-{kind.label}.pdf", document_pdf(case, kind)))
        except ValueError:
            continue  # e.g. no expert review: no expert opinion
    files += [*evidence_files(case), case_json(case)]
    officer = subject_officer.officer
    content, manifest = zip_with_manifest(
        files,
        {
            "case_number": case.number,
            "subject_officer": officer.name,
            "certificate_number": officer.certificate_number,
            "transferred_to": transfer.organ_name,
            "transferred_on": transfer.transferred_on.isoformat(),
            "generated_at": timezone.now().isoformat(),
            "generated_by": actor.get_full_name(),
        },
    )
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        audit_record(
            event_type=AuditEventType.TRANSFER_CASE_FILE_DOWNLOADED,
            actor=actor,
            case=case,
            obj=transfer,
            summary=history_message(_noop("下载%(officer)s的移送案卷"), officer=officer.name),
            data={"transfer": transfer.pk, "files": len(files), "sha256": digest},
        )
    return TransferCaseFile(
        filename=f"{case.number}-{officer.name}-移送案卷.zip", content=content, manifest=manifest
    )


# --- the organs' sanction ---------------------------------------------------------------


def second_sanction_refusal(
    *, subject_officer: SubjectOfficer, outcome: str, measure: str = "", sanction: str = ""
) -> str | None:
    """Why the bureau may not sanction this officer (a liable or mitigated
    outcome, a measure, a sanction) because the organs have already sanctioned
    the same act (Lianyungang art. 13), or None."""
    imposes = outcome in SANCTIONING_OUTCOMES or bool(measure) or bool(sanction.strip())
    if not imposes:
        return None
    reported = OrganSanction.objects.filter(subject_officer=subject_officer).first()
    if reported is None:
        return None
    return errors.NO_SECOND_SANCTION % {
        "organ": reported.organ_name,
        "date": chinese_date(reported.decided_on),
        "officer": subject_officer.officer.name,
        "sanction": reported.sanction,
    }


def organ_sanction_record(
    *,
    actor: User,
    transfer: DisciplineTransfer,
    decided_on: datetime.date,
    sanction: str,
    reference: str = "",
    discipline_body: DisciplineBody | None = None,
    organ_name: str = "",
) -> OrganSanction:
    """Record the sanction the organs report for the transferred act; the
    organ defaults to the one the matter was sent to. Once only per officer:
    a second sanction for the same act is refused."""
    case = transfer.case
    _require(actor, case, errors.MAY_NOT_RECORD_SANCTION)
    if discipline_body is None and not organ_name.strip():
        body, name = transfer.discipline_body, transfer.organ_name
    else:
        body, name = _organ(discipline_body, organ_name)
    if not sanction.strip():
        raise ValidationError({"sanction": errors.SANCTION_MISSING})
    _not_in_future(decided_on, "decided_on")
    with transaction.atomic():
        case = lock_case(case.pk)
        transfer = DisciplineTransfer.objects.select_related("subject_officer__officer").get(
            pk=transfer.pk
        )
        subject_officer = transfer.subject_officer
        existing = OrganSanction.objects.filter(subject_officer=subject_officer).first()
        if existing is not None:
            raise ValidationError(
                errors.SANCTION_ALREADY_RECORDED
                % {
                    "organ": existing.organ_name,
                    "officer": subject_officer.officer.name,
                    "sanction": existing.sanction,
                }
            )
        if decided_on < transfer.transferred_on:
            raise ValidationError({"decided_on": errors.SANCTION_BEFORE_TRANSFER})
        record = OrganSanction.objects.create(
            case=case,
            subject_officer=subject_officer,
            transfer=transfer,
            discipline_body=body,
            organ_name=name,
            decided_on=decided_on,
            sanction=sanction.strip(),
            reference=reference.strip(),
            recorded_by=actor,
        )
        audit_record(
            event_type=AuditEventType.ORGAN_SANCTION_RECORDED,
            actor=actor,
            case=case,
            obj=record,
            summary=history_message(
                _noop("%(organ)s对%(officer)s作出处分：%(sanction)s"),
                organ=name,
                officer=subject_officer.officer.name,
                sanction=record.sanction,
            ),
            data={
                "subject_officer": subject_officer.pk,
                "transfer": transfer.pk,
                "organ": name,
                "decided_on": decided_on.isoformat(),
                "sanction": record.sanction,
                "reference": record.reference,
            },
        )
    return record


# --- the written opinion for the intervening organs --------------------------------------


@dataclass(frozen=True)
class DutyOpinionInput:
    subject_officer: SubjectOfficer
    duty_performed: str
    fault: str
    reasoning: str


def duty_opinion_record(
    *,
    actor: User,
    case: Case,
    issued_on: datetime.date,
    signed_by: User,
    items: Sequence[DutyOpinionInput],
    discipline_body: DisciplineBody | None = None,
    organ_name: str = "",
    basis: str = "",
) -> DutyOpinion:
    """Record the bureau's written opinion for the organs that intervened —
    per officer, whether the duties were performed and whether there is a
    fault, with the reasoning — signed by a leadership member, and request
    its PDF (依法履职情况书面意见)."""
    _require(actor, case, errors.MAY_NOT_ISSUE_DUTY_OPINION)
    if not case.organs_intervened:
        raise ValidationError(errors.ORGANS_NOT_INTERVENED)
    body, name = _organ(discipline_body, organ_name)
    _not_in_future(issued_on, "issued_on")
    if not leadership_of_unit(case).filter(pk=signed_by.pk).exists():
        raise ValidationError({"signed_by": errors.SIGNER_NOT_LEADERSHIP})
    officers = {so.pk: so for so in case.subject_officers.select_related("officer")}
    seen = set()
    for item in items:
        if item.subject_officer.pk not in officers or item.subject_officer.pk in seen:
            raise ValidationError(errors.OPINION_OFFICERS_MISMATCH)
        seen.add(item.subject_officer.pk)
        if item.duty_performed not in DutyOpinionItem.Performance.values:
            raise ValidationError({"duty_performed": errors.DUTY_PERFORMANCE_MISSING})
        if item.fault not in DutyOpinionItem.Fault.values:
            raise ValidationError({"fault": errors.FAULT_MISSING})
        if not item.reasoning.strip():
            raise ValidationError(
                {
                    "reasoning": errors.OPINION_REASONING_MISSING
                    % {"officer": officers[item.subject_officer.pk].officer.name}
                }
            )
    missing = [so.officer.name for pk, so in officers.items() if pk not in seen]
    if missing:
        raise ValidationError(errors.OPINIONS_MISSING % {"names": "、".join(missing)})
    with transaction.atomic():
        case = lock_case(case.pk)
        if case.state in CLOSED_STATES:
            raise ValidationError(
                errors.DUTY_OPINION_NOT_IN_STATE % {"state": case.get_state_display()}
            )
        opinion = DutyOpinion.objects.create(
            case=case,
            discipline_body=body,
            organ_name=name,
            issued_on=issued_on,
            basis=basis.strip(),
            signed_by=signed_by,
            recorded_by=actor,
        )
        DutyOpinionItem.objects.bulk_create(
            DutyOpinionItem(
                opinion=opinion,
                subject_officer=item.subject_officer,
                duty_performed=item.duty_performed,
                fault=item.fault,
                reasoning=item.reasoning.strip(),
            )
            for item in items
        )
        document_number_issue(
            case=case,
            kind=DocumentKind.DUTY_OPINION,
            key=str(opinion.pk),
            title=f"关于{case.display_number}案件有关执法人员依法履职情况的书面意见",
            issued_on=issued_on,
            issued_by=actor,
        )
        opinion.document = document_request(
            case=case,
            kind=DocumentKind.DUTY_OPINION,
            requested_by=actor,
            options={"opinion_id": opinion.pk},
        )
        opinion.save(update_fields=["document"])
        audit_record(
            event_type=AuditEventType.DUTY_OPINION_RECORDED,
            actor=actor,
            case=case,
            obj=opinion,
            summary=history_message(_noop("向%(organ)s出具依法履职情况书面意见"), organ=name),
            data={
                "organ": name,
                "issued_on": issued_on.isoformat(),
                "signed_by": signed_by.pk,
                "items": [
                    {
                        "subject_officer": item.subject_officer.pk,
                        "duty_performed": item.duty_performed,
                        "fault": item.fault,
                    }
                    for item in items
                ],
            },
        )
    return opinion
