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
from cases.workflow import states_where
from documents.builders.decision import adopted_determinations
from documents.builders.evidence import evidence_file_name
from documents.kinds import DocumentKind
from documents.package import package_items
from documents.register import document_number_issue
from documents.services import document_issued_pdf, document_pdf
from reviews.export import case_export
from reviews.models import FilingPackage

FILED_STATES = states_where("past_filing")
# Rendered for each package version: the notice (numbered and dated at
# filing) and the evidence list. Every other document is taken as issued.
RENDERED_FOR_PACKAGE = frozenset({DocumentKind.FILING_NOTICE, DocumentKind.EVIDENCE_CATALOGUE})


def package_documents(case: Case, *, reuse: bool = True) -> list[tuple[str, bytes]]:
    """(file name, PDF) of every document of the package, in the order of
    documents.package (the same list the notice's 附件 are written from).
    Stage documents are taken as they were issued, never rendered again;
    one never rendered (a worker that has not run yet) is rendered here."""
    files = []
    for item in package_items(case):
        content = None
        if reuse and item.kind not in RENDERED_FOR_PACKAGE:
            content = document_issued_pdf(case, item.kind, **item.options)
        if content is None:
            content = document_pdf(case, item.kind, reuse=reuse, **item.options)
        files.append((item.file_name, content))
    return files


def evidence_files(case: Case) -> list[tuple[str, bytes]]:
    """(file name, content) of every evidence file, under 证据材料/, named as
    the evidence catalogue lists them."""
    files = []
    for index, evidence in enumerate(case.evidence.order_by("id"), start=1):
        with evidence.file.open("rb") as handle:
            files.append((evidence_file_name(index, evidence.original_name), handle.read()))
    return files


def filing_documents_issue(*, actor: User, case: Case) -> None:
    """Number the documents the package issues: the filing notice (dated the
    filing day) and the publication notice of the decided scope."""
    document_number_issue(
        case=case,
        kind=DocumentKind.FILING_NOTICE,
        title=f"关于{case.display_number}执法过错责任案件处理情况的备案报告",
        issued_by=actor,
    )
    for item in package_items(case, adopted_determinations(case)):
        if item.kind == DocumentKind.PUBLICATION_NOTICE:
            document_number_issue(
                case=case,
                kind=item.kind,
                key=item.options["scope"],
                title=f"关于{case.display_number}执法过错责任案件处理结果的公开通知",
                issued_by=actor,
            )


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
        filing_documents_issue(actor=actor, case=case)
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


def filing_package_reissue_for_scope(
    *, actor: User, case: Case, previous_scope: str, scope: str, reason: str = ""
) -> FilingPackage:
    """The decision was published in a scope wider than the filed package
    reports (reviews.services.publication): build the package again as a new
    version, whose notice and publication notice say the wider scope, with
    the change as its reason, and tell the liaison. Runs in the caller's
    transaction."""
    from reviews.models.publication import SCOPE_PHRASES

    correction_reason = _("备案后公开范围由“%(before)s”变更为“%(after)s”") % {
        "before": SCOPE_PHRASES[previous_scope] if previous_scope else _("不予公开"),
        "after": SCOPE_PHRASES[scope],
    }
    if reason.strip():
        correction_reason += _("，理由：%(reason)s") % {"reason": reason.strip()}
    package = filing_package_build(actor=actor, case=case, correction_reason=correction_reason)
    liaison_notify_package_reissued(package=package)
    return package


def liaison_notify_package_reissued(*, package: FilingPackage) -> list[User]:
    """The liaisons of the package's discipline-inspection body, who are to
    be told that a new version of a filed package awaits them (its
    correction reason says why). Returns them; the sending is for the notices
    service to wire here (the Notification model of cases.models.deadlines is
    for deadlines only)."""
    return list(
        User.objects.filter(discipline_body=package.discipline_body, is_active=True).order_by("pk")
    )
