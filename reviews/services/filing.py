"""The filing package for the discipline-inspection body: every document of
the case as PDF, the evidence files, manifest.json (SHA-256 of every file) and
case.json (docs/case-json.md). Built when the case is filed, then frozen; a
correction builds a new version and keeps the old one."""

import hashlib
import io
import json
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import AuditEventType
from audit.selectors import audit_head
from audit.services import audit_record
from cases.models import Case
from cases.services.transitions import lock_case
from cases.workflow import CaseState
from documents.kinds import DocumentKind
from documents.services import document_pdf
from reviews.export import case_export
from reviews.models import FilingPackage

# The documents of a package, in the order a reader expects them.
PACKAGE_DOCUMENTS = (
    DocumentKind.FILING_NOTICE,
    DocumentKind.DECISION,
    DocumentKind.MINUTES,
    DocumentKind.INVESTIGATION_REPORT,
    DocumentKind.EXPERT_OPINION,
    DocumentKind.INTAKE_FORM,
    DocumentKind.PUBLICATION_NOTICE,
)
FILED_STATES = (CaseState.FILED, CaseState.PUBLISHED, CaseState.CLOSED)


def package_documents(case: Case, *, reuse: bool = True) -> list[tuple[str, bytes]]:
    """(file name, PDF) for every document the case has; a document whose
    record does not exist (e.g. no expert review) is left out. A document
    already rendered from the same inputs is taken as it is, so filing renders
    only what changed since (usually the filing notice alone)."""
    files = []
    for index, kind in enumerate(PACKAGE_DOCUMENTS, start=1):
        try:
            content = document_pdf(case, kind, reuse=reuse)
        except ValueError:
            continue
        files.append((f"{index:02d}-{kind.label}.pdf", content))
    return files


def evidence_files(case: Case) -> list[tuple[str, bytes]]:
    """(file name, content) of every evidence file, under 证据材料/."""
    files = []
    for index, evidence in enumerate(case.evidence.all(), start=1):
        with evidence.file.open("rb") as handle:
            files.append((f"证据材料/{index:02d}-{evidence.original_name}", handle.read()))
    return files


def case_json(case: Case) -> tuple[str, bytes]:
    export = json.dumps(case_export(case), ensure_ascii=False, indent=2, sort_keys=True)
    return ("case.json", export.encode("utf-8"))


def zip_with_manifest(files: list[tuple[str, bytes]], header: dict) -> tuple[bytes, dict]:
    """A ZIP of the files and a manifest.json: the header's fields, then the
    SHA-256 and size of every file, so that the receiver can check each."""
    manifest = {
        **header,
        "files": [
            {"name": name, "sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
            for name, content in files
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(name, content)
        archive.writestr(
            "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
        )
    return buffer.getvalue(), manifest


def package_bytes(
    *, case: Case, actor: User, version: int, reuse: bool = True
) -> tuple[bytes, dict]:
    """The ZIP and its manifest (reuse=False renders every document afresh)."""
    files = [*package_documents(case, reuse=reuse), *evidence_files(case), case_json(case)]
    return zip_with_manifest(
        files,
        {
            "case_number": case.number,
            "version": version,
            "generated_at": timezone.now().isoformat(),
            "generated_by": actor.get_full_name(),
            "discipline_body": case.unit.discipline_body.name,
            "audit_head": audit_head(),
        },
    )


def filing_package_build(*, actor: User, case: Case, correction_reason: str = "") -> FilingPackage:
    """Build the next version of the case's filing package. The first is
    built by the filing move itself; later ones are corrections and need a
    reason. Runs in the caller's transaction when there is one."""
    if not actor.has_perm("cases.file_case", case):
        raise PermissionDenied(_("您无权生成备案材料。"))
    if case.unit.discipline_body_id is None:
        raise ValidationError(_("承办单位尚未设置同级纪检监察机关，无法备案。"))
    with transaction.atomic():
        case = lock_case(case.pk)
        previous = case.filing_packages.order_by("-version").first()
        if previous is not None:
            if case.state not in FILED_STATES:
                raise ValidationError(_("案件尚未备案。"))
            if not correction_reason.strip():
                raise ValidationError({"correction_reason": _("更正备案材料须写明理由。")})
        content, manifest = package_bytes(
            case=case, actor=actor, version=previous.version + 1 if previous else 1
        )
        package = FilingPackage(
            case=case,
            version=manifest["version"],
            discipline_body=case.unit.discipline_body,
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            manifest=manifest,
            correction_reason=correction_reason.strip(),
            built_by=actor,
        )
        package.file.save(
            f"filing-{case.pk}-v{package.version}.zip", ContentFile(content), save=False
        )
        package.save()
        audit_record(
            event_type=AuditEventType.FILING_PACKAGE_BUILT,
            actor=actor,
            case=case,
            obj=package,
            summary=_("生成备案材料包第%(version)s版") % {"version": package.version},
            data={
                "version": package.version,
                "sha256": package.sha256,
                "files": [f["name"] for f in manifest["files"]],
                "correction_reason": package.correction_reason,
            },
        )
    return package


def filing_package_download_record(*, actor: User, package: FilingPackage) -> None:
    """Every download of a package is an audit event."""
    if not actor.has_perm("reviews.download_filing", package):
        raise PermissionDenied(_("您无权下载该备案材料。"))
    with transaction.atomic():
        audit_record(
            event_type=AuditEventType.FILING_PACKAGE_DOWNLOADED,
            actor=actor,
            case=package.case,
            obj=package,
            summary=_("下载备案材料包第%(version)s版") % {"version": package.version},
            data={"version": package.version, "sha256": package.sha256},
        )


def filing_acknowledge(*, actor: User, package: FilingPackage) -> FilingPackage:
    """The discipline liaison signs for the package (签收), once."""
    if not actor.has_perm("reviews.acknowledge_filing", package):
        raise PermissionDenied(_("只有备案机关的纪检监察联络员可以签收。"))
    with transaction.atomic():
        lock_case(package.case_id)
        package = FilingPackage.objects.select_for_update().get(pk=package.pk)
        if package.acknowledged_at is not None:
            raise ValidationError(_("该备案材料已签收。"))
        package.acknowledged_by = actor
        package.acknowledged_at = timezone.now()
        package.save(update_fields=["acknowledged_by", "acknowledged_at"])
        audit_record(
            event_type=AuditEventType.FILING_ACKNOWLEDGED,
            actor=actor,
            case=package.case,
            obj=package,
            summary=_("纪检监察机关签收备案材料包第%(version)s版") % {"version": package.version},
            data={"version": package.version, "sha256": package.sha256},
        )
    return package
