"""The liaison's check of a filing package on receipt (issue 17): the
signed manifest, every hash and every document's signature, against the
configured trust anchors (documents.verification), recorded in the audit
trail before the download is offered."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.models import AuditEvent, AuditEventType
from audit.services import audit_record
from documents.verification import (
    FAILED,
    UNSIGNED,
    VERIFIED,
    PackageUnreadable,
    PackageVerification,
    package_verify,
)
from filing import errors
from filing.models import FilingPackage
from filing.selectors import filing_verifications

SUMMARIES = {
    VERIFIED: gettext_lazy("核验备案材料包第%(version)s版：签名有效，全部文件与清单一致"),
    UNSIGNED: gettext_lazy("核验备案材料包第%(version)s版：未签名，文件与清单一致"),
    FAILED: gettext_lazy("核验备案材料包第%(version)s版：未通过（%(file)s）"),
}


def filing_package_verify(*, actor: User, package: FilingPackage) -> AuditEvent:
    """Verify the package as stored and record the outcome (the event's data
    is PackageVerification.as_data()). A package that cannot be read at all
    (a lost file, an unreadable trust anchor) is recorded as failed too."""
    if not actor.has_perm("filing.download_filing", package):
        raise PermissionDenied(errors.MAY_NOT_VERIFY_PACKAGE)
    try:
        with package.file.open("rb") as handle:
            result = package_verify(handle.read())
    except FileNotFoundError:
        result = PackageVerification(status=FAILED, problem="the package file is missing")
    except PackageUnreadable as error:
        result = PackageVerification(status=FAILED, problem=str(error))
    with transaction.atomic():
        return audit_record(
            event_type=AuditEventType.FILING_PACKAGE_VERIFIED,
            actor=actor,
            case=package.case,
            obj=package,
            summary=str(SUMMARIES[result.status])
            % {"version": package.version, "file": result.failed_file or "—"},
            data={"version": package.version, "sha256": package.sha256, **result.as_data()},
        )


def filing_packages_verified(*, actor: User, packages) -> dict[int, AuditEvent]:
    """The latest verification of each package, verifying (and recording)
    those never verified yet: a package's file never changes, so one
    verification holds until the liaison asks again."""
    packages = list(packages)
    latest = filing_verifications(packages)
    for package in packages:
        if latest[package.pk] is None:
            latest[package.pk] = filing_package_verify(actor=actor, package=package)
    return latest


def download_allowed(verification: AuditEvent | None) -> bool:
    """A package is offered for download once verified or found unsigned
    (which the page says); never when it failed."""
    return verification is not None and verification.data.get("status") in (VERIFIED, UNSIGNED)


def verification_summary(event: AuditEvent | None) -> dict | None:
    """A recorded verification for the pages: its outcome, the signer and
    times as datetimes, and whether the download is offered."""
    if event is None:
        return None
    data = event.data
    signed_at = data.get("signed_at") or ""
    return {
        "status": data.get("status"),
        "verified": data.get("status") == VERIFIED,
        "unsigned": data.get("status") == UNSIGNED,
        "failed": data.get("status") == FAILED,
        "signer": data.get("signer", ""),
        "signed_at": datetime.datetime.fromisoformat(signed_at) if signed_at else None,
        "failed_file": data.get("failed_file", ""),
        "problem": data.get("problem", ""),
        "documents": len(data.get("documents", [])),
        "files": data.get("files_checked", 0),
        "verified_at": event.occurred_at,
        "verified_by": event.actor_name,
        "download_allowed": download_allowed(event),
    }
