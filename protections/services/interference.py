"""Recording interference in enforcement (Tai'an art. 5, Lianyungang art. 6):
an entry is complete and final when it is recorded; a correction is a new
entry that names the one it corrects. Attachments pass the same checks as
case evidence. Linking an entry to a case, downloading an attachment and
exporting the register are audited too.

The audit events here carry no case: a case's timeline is shown to everyone
on the case, and the register is not."""

import datetime
import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.numbering import next_sequence, register_number
from audit.models import AuditEventType
from audit.services import audit_record
from cases.models import Case
from cases.services.evidence import clean_file_name, evidence_check
from protections import errors
from protections.models import (
    Channel,
    InterferenceAttachment,
    InterferenceCaseLink,
    InterferenceEntry,
)
from protections.rules import allowed
from protections.selectors import officer_for

MAX_ATTACHMENTS = 10

REQUIRED_FIELDS = (
    ("occurred_at", errors.OCCURRED_AT_MISSING),
    ("interferer_name", errors.INTERFERER_MISSING),
    ("channel", errors.CHANNEL_MISSING),
    ("matter", errors.MATTER_MISSING),
    ("request_content", errors.REQUEST_CONTENT_MISSING),
    ("response", errors.RESPONSE_MISSING),
)


@dataclass(frozen=True)
class InterferenceInput:
    occurred_at: datetime.datetime | None
    interferer_name: str
    channel: str
    matter: str
    request_content: str
    response: str
    interferer_unit: str = ""
    interferer_position: str = ""
    channel_detail: str = ""


@dataclass(frozen=True)
class CheckedUpload:
    upload: UploadedFile
    name: str
    content_type: str
    sha256: str


def interference_input_check(data: InterferenceInput) -> InterferenceInput:
    """The input with its text stripped, or a ValidationError naming each
    field that is wrong."""
    data = InterferenceInput(
        **{k: v.strip() if isinstance(v, str) else v for k, v in asdict(data).items()}
    )
    problems: dict[str, str] = {}
    for field, message in REQUIRED_FIELDS:
        if not getattr(data, field):
            problems[field] = str(message)
    if data.occurred_at and data.occurred_at > timezone.now():
        problems["occurred_at"] = str(errors.OCCURRED_IN_FUTURE)
    if data.channel and data.channel not in Channel.values:
        problems["channel"] = errors.CHANNEL_MISSING
    if data.channel == Channel.OTHER and not data.channel_detail:
        problems["channel_detail"] = str(errors.CHANNEL_DETAIL_MISSING)
    if problems:
        raise ValidationError(problems)
    return data


def attachments_check(uploads: Sequence[UploadedFile]) -> list[CheckedUpload]:
    """Size and type (by content) of every file, as for case evidence; the
    SHA-256 of each. Nothing is stored here."""
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError(
            {"attachments": str(errors.TOO_MANY_ATTACHMENTS) % {"limit": MAX_ATTACHMENTS}}
        )
    checked = []
    for upload in uploads:
        name = clean_file_name(upload.name or "")
        try:
            content_type = evidence_check(upload)
        except ValidationError as error:
            messages = [m for ms in error.message_dict.values() for m in ms]
            raise ValidationError(
                {"attachments": [f"{name}：{message}" for message in messages]}
            ) from None
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        checked.append(
            CheckedUpload(
                upload=upload, name=name, content_type=content_type, sha256=digest.hexdigest()
            )
        )
    return checked


def entry_digest(entry: InterferenceEntry) -> str:
    """SHA-256 of the entry's content, kept in its audit event: a later change
    made behind the application's back shows as a mismatch."""
    content = {
        "number": entry.number,
        "officer": entry.officer_id,
        "occurred_at": entry.occurred_at.isoformat(),
        "interferer_name": entry.interferer_name,
        "interferer_unit": entry.interferer_unit,
        "interferer_position": entry.interferer_position,
        "channel": entry.channel,
        "channel_detail": entry.channel_detail,
        "matter": entry.matter,
        "request_content": entry.request_content,
        "response": entry.response,
        "corrects": entry.corrects_id,
        "correction_reason": entry.correction_reason,
    }
    encoded = json.dumps(content, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def interference_record(
    *,
    actor: User,
    data: InterferenceInput,
    attachments: Sequence[UploadedFile] = (),
    corrects: InterferenceEntry | None = None,
    correction_reason: str = "",
) -> InterferenceEntry:
    """Record an interference, final at once; with `corrects`, a correction
    of one of the actor's own entries (with a reason)."""
    officer = officer_for(actor)
    if officer is None or not allowed(actor, "protections.record_interference"):
        raise PermissionDenied(errors.ONLY_OFFICER_RECORDS_INTERFERENCE)
    if corrects is not None and not allowed(actor, "protections.correct_interference", corrects):
        raise PermissionDenied(errors.ONLY_OWN_ENTRY_CORRECTED)
    data = interference_input_check(data)
    correction_reason = correction_reason.strip()
    if corrects is not None and not correction_reason:
        raise ValidationError({"correction_reason": str(errors.CORRECTION_REASON_MISSING)})
    checked = attachments_check(attachments)

    with transaction.atomic():
        if corrects is not None:
            InterferenceEntry.objects.select_for_update().filter(pk=corrects.pk).first()
            if InterferenceEntry.objects.filter(corrects=corrects).exists():
                raise ValidationError(str(errors.ALREADY_CORRECTED))
        now = timezone.now()
        year = timezone.localdate(now).year
        sequence = next_sequence(InterferenceEntry, unit=officer.unit, year=year)
        entry = InterferenceEntry(
            unit=officer.unit,
            officer=officer,
            recorded_by=actor,
            year=year,
            sequence=sequence,
            number=register_number(officer.unit, "干记", year, sequence),
            corrects=corrects,
            correction_reason=correction_reason if corrects is not None else "",
            recorded_at=now,
            **asdict(data),
        )
        entry.full_clean(
            exclude=["unit", "officer", "recorded_by", "corrects"],
            validate_unique=False,
            validate_constraints=False,
        )
        entry.save()
        stored = []
        for item in checked:
            attachment = InterferenceAttachment(
                entry=entry,
                original_name=item.name,
                content_type=item.content_type,
                size=item.upload.size,
                sha256=item.sha256,
                uploaded_by=actor,
                uploaded_at=now,
            )
            attachment.file.save("upload", item.upload, save=False)
            attachment.save()
            stored.append(attachment)
        audit_record(
            event_type=(
                AuditEventType.INTERFERENCE_CORRECTED
                if corrects is not None
                else AuditEventType.INTERFERENCE_RECORDED
            ),
            actor=actor,
            obj=entry,
            summary=(
                _("更正干预执法记录%(old)s，新记录%(number)s")
                % {"old": corrects.number, "number": entry.number}
                if corrects is not None
                else _("记录干预执法情况%(number)s") % {"number": entry.number}
            ),
            data={
                "number": entry.number,
                "content_sha256": entry_digest(entry),
                "corrects": corrects.number if corrects is not None else None,
                "attachments": [
                    {"name": a.original_name, "sha256": a.sha256, "size": a.size} for a in stored
                ],
            },
        )
    return entry


def interference_edit(*, actor: User, entry: InterferenceEntry, **changes) -> NoReturn:
    """There is no editing: an entry is final when it is recorded."""
    raise ValidationError(str(errors.ENTRY_IMMUTABLE))


def interference_delete(*, actor: User, entry: InterferenceEntry) -> NoReturn:
    """There is no deleting either."""
    raise ValidationError(str(errors.ENTRY_IMMUTABLE))


def interference_attachment_download_record(
    *, actor: User, attachment: InterferenceAttachment
) -> None:
    """Every download of an attachment is an audit event."""
    if not allowed(actor, "protections.view_interference", attachment.entry):
        raise PermissionDenied(errors.MAY_NOT_VIEW_ENTRY)
    with transaction.atomic():
        audit_record(
            event_type=AuditEventType.INTERFERENCE_ATTACHMENT_DOWNLOADED,
            actor=actor,
            obj=attachment,
            summary=_("下载干预执法记录%(number)s的附件") % {"number": attachment.entry.number},
            data={"name": attachment.original_name, "sha256": attachment.sha256},
        )


def interference_case_link(
    *, actor: User, entry: InterferenceEntry, case: Case
) -> InterferenceCaseLink:
    """Link an entry to an accountability case (the recording officer or a
    designated reader, who must see the case too)."""
    if not allowed(actor, "protections.link_interference", entry):
        raise PermissionDenied(errors.MAY_NOT_LINK_CASE)
    if not actor.has_perm("cases.view_case", case):
        raise ValidationError({"case_number": errors.CASE_NOT_FOUND})
    with transaction.atomic():
        if InterferenceCaseLink.objects.filter(entry=entry, case=case).exists():
            raise ValidationError({"case_number": str(errors.ALREADY_LINKED)})
        link = InterferenceCaseLink.objects.create(entry=entry, case=case, linked_by=actor)
        audit_record(
            event_type=AuditEventType.INTERFERENCE_CASE_LINKED,
            actor=actor,
            obj=entry,
            summary=_("干预执法记录%(number)s关联案件%(case)s")
            % {"number": entry.number, "case": case.display_number},
            data={"number": entry.number, "case": case.pk, "case_number": case.number},
        )
    return link


def interference_case_unlink(*, actor: User, entry: InterferenceEntry, case: Case) -> None:
    if not allowed(actor, "protections.link_interference", entry):
        raise PermissionDenied(errors.MAY_NOT_UNLINK_CASE)
    with transaction.atomic():
        link = InterferenceCaseLink.objects.filter(entry=entry, case=case).first()
        if link is None:
            raise ValidationError(errors.NOT_LINKED)
        link.delete()
        audit_record(
            event_type=AuditEventType.INTERFERENCE_CASE_UNLINKED,
            actor=actor,
            obj=entry,
            summary=_("干预执法记录%(number)s取消关联案件%(case)s")
            % {"number": entry.number, "case": case.display_number},
            data={"number": entry.number, "case": case.pk, "case_number": case.number},
        )
