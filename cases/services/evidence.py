"""Evidence uploads: size and type checked by content before anything is
stored, a private random file name, and the SHA-256 recorded."""

import hashlib
import unicodedata

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_noop as _noop

from accounts.models import User
from audit.messages import history_message
from audit.models import AuditEventType
from audit.services import audit_record
from cases import errors
from cases.models import Case, Evidence
from cases.services.office_files import office_file_check
from cases.workflow import STAGES, states_where

OFFICE_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Accepted kinds, detected from the bytes, never from the name or the
# browser's claim: documents, photos, and recordings from enforcement cameras.
ALLOWED_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "video/mp4": "MP4",
    "audio/mpeg": "MP3",
}
CLOSED_STATES = frozenset(STAGES) - states_where("accepts_evidence")


def clean_file_name(name: str) -> str:
    """A display name without directories, control characters or excess."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:200] or "file"


def evidence_check(upload: UploadedFile) -> str:
    """The content type detected in the file, or a ValidationError."""
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {
                "file": errors.FILE_TOO_LARGE
                % {"size": round(upload.size / 2**20, 1), "limit": limit // 2**20}
            }
        )
    if upload.size == 0:
        raise ValidationError({"file": errors.FILE_EMPTY})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(
            {"file": errors.FILE_TYPE_NOT_ACCEPTED % {"types": "、".join(ALLOWED_TYPES.values())}}
        )
    if kind.mime in OFFICE_TYPES:
        office_file_check(upload)
    return kind.mime


def evidence_upload_allowed(*, actor: User, case: Case) -> bool:
    """Whether the case page offers the upload form: the stage accepts
    evidence (cases.workflow) and the user may upload to this case."""
    return case.state not in CLOSED_STATES and actor.has_perm("cases.upload_evidence", case)


def evidence_upload(*, actor: User, case: Case, upload: UploadedFile, description: str) -> Evidence:
    if not actor.has_perm("cases.upload_evidence", case):
        raise PermissionDenied(errors.MAY_NOT_UPLOAD_EVIDENCE)
    if case.state in CLOSED_STATES:
        raise ValidationError(errors.EVIDENCE_AFTER_DECISION)
    if not description.strip():
        raise ValidationError({"description": errors.EVIDENCE_DESCRIPTION_MISSING})
    content_type = evidence_check(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        locked = Case.objects.select_for_update().only("state").get(pk=case.pk)
        if locked.state in CLOSED_STATES:
            raise ValidationError(errors.EVIDENCE_AFTER_DECISION)
        evidence = Evidence(
            case=case,
            original_name=clean_file_name(upload.name or ""),
            content_type=content_type,
            size=upload.size,
            sha256=digest.hexdigest(),
            description=description.strip(),
            uploaded_by=actor,
        )
        evidence.file.save("upload", upload, save=False)
        evidence.save()
        audit_record(
            event_type=AuditEventType.EVIDENCE_UPLOADED,
            actor=actor,
            case=case,
            obj=evidence,
            summary=history_message(_noop("上传证据：%(name)s"), name=evidence.original_name),
            data={
                "name": evidence.original_name,
                "sha256": evidence.sha256,
                "size": evidence.size,
                "content_type": content_type,
            },
        )
    return evidence


def evidence_download_record(*, actor: User, evidence: Evidence) -> None:
    """Every download of evidence is an audit event."""
    with transaction.atomic():
        audit_record(
            event_type=AuditEventType.EVIDENCE_DOWNLOADED,
            actor=actor,
            case=evidence.case,
            obj=evidence,
            summary=history_message(_noop("下载证据：%(name)s"), name=evidence.original_name),
            data={"sha256": evidence.sha256},
        )
