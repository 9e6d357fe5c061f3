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
from django.utils.translation import gettext_noop as _noop

from accounts.models import User
from audit.messages import history_message
from audit.models import AuditEvent, AuditEventType
from audit.selectors import audit_head
from audit.services import audit_record
from cases.models import Case
from cases.services.notices import handoff_notify, notify
from cases.services.transitions import lock_case
from cases.workflow import NoticeKind, states_where
from documents.builders.decision import adopted_determinations
from documents.builders.evidence import evidence_file_name
from documents.kinds import DocumentKind
from documents.package import decided_publication_scope, package_items
from documents.register import document_number_issue
from documents.services import document_issued_pdf, document_pdf
from documents.signing import data_sign, pdf_sign_once, unit_signing_status
from documents.verification import MANIFEST_NAME, MANIFEST_SIGNATURE_NAME
from filing import errors
from filing.export import case_export
from filing.models import FilingPackage
from filing.models.filing import PACKAGE_AUDIT_LABELS

FILED_STATES = states_where("past_filing")
# Rendered for each package version: the notice (numbered and dated at
# filing). Every other document is taken as issued: the stage documents, and
# the publication notice of the decided scope and the evidence catalogue
# issued with the decision (cases.workflow, the `decide` move).
RENDERED_FOR_PACKAGE = frozenset({DocumentKind.FILING_NOTICE})


def package_documents(
    case: Case, *, reuse: bool = True, case_export_file: tuple[str, bytes] | None = None
) -> list[tuple[str, bytes]]:
    """(file name, PDF) of every document of the package, in the order of
    documents.package (the same list the notice's 附件 are written from).
    Stage documents are taken as they were issued (and signed), never
    rendered again; one never rendered (a worker that has not run yet) is
    rendered here. The filing notice carries `case_export_file` (case.json)
    as a PDF/A-3 associated file."""
    files = []
    for item in package_items(case):
        content = None
        if reuse and item.kind not in RENDERED_FOR_PACKAGE:
            content = document_issued_pdf(case, item.kind, **item.options)
        if content is None:
            embedded = ()
            if item.kind == DocumentKind.FILING_NOTICE and case_export_file:
                embedded = (case_export_file,)
            content = document_pdf(case, item.kind, reuse=reuse, embedded=embedded, **item.options)
        # One issued (or rendered earlier) before the unit had its key is
        # signed now; the issued bytes stay the signed revision.
        files.append((item.file_name, pdf_sign_once(content, unit=case.unit)))
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
            publication_notice_number_issue(actor=actor, case=case, scope=item.options["scope"])


def publication_notice_number_issue(*, actor: User, case: Case, scope: str) -> None:
    """Number the publication notice of `scope` (once; dated the day it is
    first issued): at the decision for the decided scope, so the package
    takes that notice as issued; at publication for a wider one."""
    document_number_issue(
        case=case,
        kind=DocumentKind.PUBLICATION_NOTICE,
        key=scope,
        title=f"关于{case.display_number}执法过错责任案件处理结果的公开通知",
        issued_by=actor,
    )


def decision_documents_issue(*, actor: User, case: Case) -> None:
    """Number what the decision issues besides the decision itself (the
    `decide` move's documents, cases.workflow): the publication notice of the
    scope voted on. The evidence catalogue carries no number."""
    scope = decided_publication_scope(adopted_determinations(case))
    if scope:
        publication_notice_number_issue(actor=actor, case=case, scope=scope)


def case_json(case: Case) -> tuple[str, bytes]:
    export = json.dumps(case_export(case), ensure_ascii=False, indent=2, sort_keys=True)
    return ("case.json", export.encode("utf-8"))


def zip_with_manifest(
    files: list[tuple[str, bytes]], header: dict, *, signing_unit=None
) -> tuple[bytes, dict]:
    """A ZIP of the files and a manifest.json: the header's fields, then the
    SHA-256 and size of every file, so that the receiver can check each.
    With a `signing_unit` that has a key, the manifest gets a detached CMS
    signature, manifest.json.p7s (documents.verification checks both)."""
    signs = signing_unit is not None and unit_signing_status(signing_unit).signs
    manifest = {
        **header,
        # Named in the manifest, so a package stripped of its signature is
        # not taken for one that was never signed.
        **({"signature": MANIFEST_SIGNATURE_NAME} if signs else {}),
        "files": [
            {"name": name, "sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
            for name, content in files
        ],
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
    signature = data_sign(manifest_bytes, unit=signing_unit) if signs else None
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(name, content, compress_type=_compress_type(name))
        archive.writestr(MANIFEST_NAME, manifest_bytes)
        if signature is not None:
            archive.writestr(MANIFEST_SIGNATURE_NAME, signature)
    return buffer.getvalue(), manifest


def _compress_type(name: str) -> int:
    """Deflate the JSON; store the PDFs and evidence files as they are: their
    formats are compressed already (PDF streams, JPEG, PNG, Office, MP4, MP3),
    and deflating a package's PDFs again took 24 ms to save 5 %."""
    return zipfile.ZIP_DEFLATED if name.endswith(".json") else zipfile.ZIP_STORED


def package_bytes(
    *, case: Case, actor: User, version: int, reuse: bool = True
) -> tuple[bytes, dict]:
    """The ZIP and its manifest (reuse=False renders every document afresh)."""
    export = case_json(case)
    documents = package_documents(case, reuse=reuse, case_export_file=export)
    return zip_with_manifest(
        [*documents, *evidence_files(case), export],
        {
            "case_number": case.number,
            "version": version,
            "generated_at": timezone.now().isoformat(),
            "generated_by": actor.get_full_name(),
            "discipline_body": case.unit.discipline_body.name,
            "audit_head": audit_head(),
        },
        signing_unit=case.unit,
    )


def filing_package_build(*, actor: User, case: Case, correction_reason: str = "") -> FilingPackage:
    """Build the next version of the case's filing package. The first is
    built by the filing move itself; later ones are corrections and need a
    reason. Runs in the caller's transaction when there is one."""
    if not actor.has_perm("cases.file_case", case):
        raise PermissionDenied(errors.MAY_NOT_BUILD_PACKAGE)
    if case.unit.discipline_body_id is None:
        raise ValidationError(errors.NO_DISCIPLINE_BODY)
    with transaction.atomic():
        case = lock_case(case.pk)
        previous = case.filing_packages.order_by("-version").first()
        if previous is not None:
            if case.state not in FILED_STATES:
                raise ValidationError(errors.NOT_YET_FILED)
            if not correction_reason.strip():
                raise ValidationError({"correction_reason": errors.CORRECTION_REASON_MISSING})
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
            summary=history_message(
                _noop("生成备案材料包第%(version)s版"), version=package.version
            ),
            data={
                "version": package.version,
                "sha256": package.sha256,
                "files": [f["name"] for f in manifest["files"]],
                "correction_reason": package.correction_reason,
                "signed": bool(manifest.get("signature")),
            },
        )
    return package


def filing_package_download_record(*, actor: User, package: FilingPackage) -> None:
    """Every download of a package is an audit event."""
    if not actor.has_perm("filing.download_filing", package):
        raise PermissionDenied(errors.MAY_NOT_DOWNLOAD_PACKAGE)
    with transaction.atomic():
        audit_record(
            event_type=AuditEventType.FILING_PACKAGE_DOWNLOADED,
            actor=actor,
            case=package.case,
            obj=package,
            summary=history_message(
                _noop("下载备案材料包第%(version)s版"), version=package.version
            ),
            data={"version": package.version, "sha256": package.sha256},
        )


def filing_acknowledge_refusal(actor: User, package: FilingPackage) -> str | None:
    """Why the liaison may not sign for the package yet, or None: one signs
    for what one has received, so only after downloading it oneself (the
    downloads are audit events)."""
    downloaded = AuditEvent.objects.filter(
        case_id=package.case_id,
        event_type=AuditEventType.FILING_PACKAGE_DOWNLOADED,
        object_type__in=PACKAGE_AUDIT_LABELS,
        object_id=str(package.pk),
        actor=actor,
    ).exists()
    if not downloaded:
        return str(errors.DOWNLOAD_BEFORE_ACKNOWLEDGING)
    return None


def filing_acknowledge(*, actor: User, package: FilingPackage) -> FilingPackage:
    """The discipline liaison signs for the package (签收), once."""
    if not actor.has_perm("filing.acknowledge_filing", package):
        raise PermissionDenied(errors.MAY_NOT_ACKNOWLEDGE)
    with transaction.atomic():
        lock_case(package.case_id)
        package = FilingPackage.objects.select_for_update().get(pk=package.pk)
        if package.acknowledged_at is not None:
            raise ValidationError(errors.ALREADY_ACKNOWLEDGED)
        refusal = filing_acknowledge_refusal(actor, package)
        if refusal:
            raise ValidationError(refusal)
        package.acknowledged_by = actor
        package.acknowledged_at = timezone.now()
        package.save(update_fields=["acknowledged_by", "acknowledged_at"])
        audit_record(
            event_type=AuditEventType.FILING_ACKNOWLEDGED,
            actor=actor,
            case=package.case,
            obj=package,
            summary=history_message(
                _noop("纪检监察机关签收备案材料包第%(version)s版"), version=package.version
            ),
            data={"version": package.version, "sha256": package.sha256},
        )
        handoff_notify(
            "receipt_acknowledged",
            case=package.case,
            actor=actor,
            params={"name": actor.get_full_name(), "version": package.version},
        )
    return package


def filing_package_reissue_for_scope(
    *, actor: User, case: Case, previous_scope: str, scope: str, reason: str = ""
) -> FilingPackage:
    """The decision was published in a scope wider than the filed package
    reports (filing.services.publication): build the package again as a new
    version, whose notice and publication notice say the wider scope, with
    the change as its reason, and tell the liaison. Runs in the caller's
    transaction."""
    from filing.models.publication import SCOPE_PHRASES

    correction_reason = _("备案后公开范围由“%(before)s”变更为“%(after)s”") % {
        "before": SCOPE_PHRASES[previous_scope] if previous_scope else _("不予公开"),
        "after": SCOPE_PHRASES[scope],
    }
    if reason.strip():
        correction_reason += _("，理由：%(reason)s") % {"reason": reason.strip()}
    package = filing_package_build(actor=actor, case=case, correction_reason=correction_reason)
    liaison_notify_package_reissued(package=package, actor=actor)
    return package


def liaison_notify_package_reissued(
    *, package: FilingPackage, actor: User | None = None
) -> list[User]:
    """Tell the liaisons of the package's discipline-inspection body that a
    new version of a filed package awaits them in the inbox (its correction
    reason says why); returns them."""
    liaisons = list(
        User.objects.filter(discipline_body=package.discipline_body, is_active=True).order_by("pk")
    )
    notify(
        NoticeKind.PACKAGE_FILED,
        case=package.case,
        recipients=liaisons,
        actor=actor,
        params={"version": package.version},
    )
    return liaisons
