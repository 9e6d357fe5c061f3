"""Checking a filing package as received, on line (the liaison's inbox) or
off line (`manage.py verify_package`): the manifest's detached signature,
every file against the manifest's SHA-256 (none missing, none added), and
each document's PAdES signature, all against the trust anchors (the root
certificates in JINZHI_TRUST_ANCHORS, or given). The first file that does
not verify is named."""

import datetime
import hashlib
import io
import json
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

MANIFEST_NAME = "manifest.json"
MANIFEST_SIGNATURE_NAME = "manifest.json.p7s"
# Files the unit did not issue (uploaded evidence) are checked by hash only.
EVIDENCE_FOLDER = "证据材料/"


class PackageUnreadable(ValueError):
    """Not a package at all: not a ZIP, or an unreadable trust anchor."""


VERIFIED = "verified"
UNSIGNED = "unsigned"
FAILED = "failed"


@dataclass(frozen=True)
class SignatureCheck:
    name: str
    signer: str
    signed_at: datetime.datetime | None


@dataclass
class PackageVerification:
    """The outcome: VERIFIED (signed, every signature and hash good),
    UNSIGNED (hashes good, but nothing signed: the issuing unit has no key),
    or FAILED, naming the first file that does not verify and why."""

    status: str
    failed_file: str = ""
    problem: str = ""
    signer: str = ""
    signed_at: datetime.datetime | None = None
    documents: list[SignatureCheck] = field(default_factory=list)
    files_checked: int = 0

    @property
    def ok(self) -> bool:
        return self.status == VERIFIED

    def as_data(self) -> dict:
        """For the audit trail (and read back from it by the inbox)."""
        return {
            "status": self.status,
            "failed_file": self.failed_file,
            "problem": self.problem,
            "signer": self.signer,
            "signed_at": self.signed_at.isoformat() if self.signed_at else "",
            "documents": [
                {
                    "name": check.name,
                    "signer": check.signer,
                    "signed_at": check.signed_at.isoformat() if check.signed_at else "",
                }
                for check in self.documents
            ],
            "files_checked": self.files_checked,
        }


class _Failure(Exception):
    def __init__(self, name: str, problem: str):
        super().__init__(f"{name}: {problem}")
        self.name, self.problem = name, problem


def trust_roots(paths=None) -> list:
    """The trust anchors as asn1crypto certificates (PEM or DER files; a PEM
    file may hold several). Raises PackageUnreadable for a missing or bad
    file."""
    from asn1crypto import pem, x509

    roots = []
    for path in settings.JINZHI_TRUST_ANCHORS if paths is None else paths:
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise PackageUnreadable(
                f"cannot read the trust anchor {path}: {error.strerror or error}"
            ) from None
        try:
            if pem.detect(data):
                blocks = [der for _, _, der in pem.unarmor(data, multiple=True)]
            else:
                blocks = [data]
            certificates = [x509.Certificate.load(der) for der in blocks]
            for certificate in certificates:
                certificate.native  # noqa: B018 -- parses it all, so bad DER fails here
        except Exception:  # asn1crypto raises ValueError, TypeError and others
            raise PackageUnreadable(f"{path} is not a certificate (PEM or DER)") from None
        if not certificates:
            raise PackageUnreadable(f"{path} holds no certificate")
        roots.extend(certificates)
    return roots


def _validation_context(roots):
    from pyhanko_certvalidator import ValidationContext

    # Off line: no OCSP or CRL fetching; a certificate without revocation
    # information is accepted (docs/signing.md: what an archive adds).
    return ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")


def _signature_problem(status) -> str:
    if not status.intact:
        return "the content does not match its signature (changed after signing)"
    if not status.valid:
        return "the signature value is invalid"
    if not status.trusted:
        return "the signer's certificate does not chain to a trust anchor"
    return ""


def _check_manifest_signature(manifest: bytes, signature: bytes, roots) -> SignatureCheck:
    from asn1crypto import cms
    from pyhanko.sign.validation.generic_cms import async_validate_detached_cms

    from documents.signing import certificate_subject, run_coroutine

    try:
        signed_data = cms.ContentInfo.load(signature)["content"]
        signed_data.native  # noqa: B018 -- parse now: a damaged structure fails here
        status = run_coroutine(
            async_validate_detached_cms(
                manifest, signed_data, signer_validation_context=_validation_context(roots)
            )
        )
    except _Failure:
        raise
    except Exception as error:
        raise _Failure(
            MANIFEST_SIGNATURE_NAME, f"not a readable CMS signature ({type(error).__name__})"
        ) from None
    if not status.intact:  # the manifest's digest differs: the manifest was changed
        raise _Failure(
            MANIFEST_NAME, f"does not match {MANIFEST_SIGNATURE_NAME} (changed after signing)"
        )
    problem = _signature_problem(status)
    if problem:
        raise _Failure(MANIFEST_SIGNATURE_NAME, problem)
    return SignatureCheck(
        MANIFEST_SIGNATURE_NAME, certificate_subject(status.signing_cert), status.signer_reported_dt
    )


def _check_pdf_signature(name: str, content: bytes, roots) -> SignatureCheck:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.pdf_embedded import async_validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    from documents.signing import certificate_subject, run_coroutine

    try:
        signatures = PdfFileReader(io.BytesIO(content), strict=False).embedded_signatures
    except Exception as error:
        raise _Failure(name, f"not a readable PDF ({type(error).__name__})") from None
    if not signatures:
        raise _Failure(name, "the document is not signed")
    try:
        status = run_coroutine(
            async_validate_pdf_signature(
                signatures[-1], signer_validation_context=_validation_context(roots), skip_diff=True
            )
        )
    except (SignatureValidationError, ValueError) as error:
        raise _Failure(name, f"the signature cannot be checked ({error})") from None
    problem = _signature_problem(status)
    if not problem and status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        problem = "the document was changed after it was signed"
    if problem:
        raise _Failure(name, problem)
    return SignatureCheck(name, certificate_subject(status.signing_cert), status.signer_reported_dt)


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as error:
        raise _Failure(name, f"damaged in the ZIP ({error})") from None


def _read_manifest(archive: zipfile.ZipFile) -> tuple[bytes, dict]:
    if MANIFEST_NAME not in archive.namelist():
        raise _Failure(MANIFEST_NAME, "missing from the package")
    manifest_bytes = _read(archive, MANIFEST_NAME)
    try:
        manifest = json.loads(manifest_bytes)
        entries = manifest["files"]
        {entry["name"]: (entry["sha256"], entry["size"]) for entry in entries}  # noqa: B018
    except (ValueError, KeyError, TypeError):
        raise _Failure(MANIFEST_NAME, "not a manifest (JSON with a files list)") from None
    return manifest_bytes, manifest


def _verify(archive: zipfile.ZipFile, roots) -> PackageVerification:
    manifest_bytes, manifest = _read_manifest(archive)
    names = [info.filename for info in archive.infolist() if not info.is_dir()]
    signed = MANIFEST_SIGNATURE_NAME in names
    if not signed and manifest.get("signature"):
        raise _Failure(
            MANIFEST_SIGNATURE_NAME, "named by the manifest but missing from the package"
        )
    result = PackageVerification(status=VERIFIED if signed else UNSIGNED)
    if signed:
        signature = _read(archive, MANIFEST_SIGNATURE_NAME)
        check = _check_manifest_signature(manifest_bytes, signature, roots)
        result.signer, result.signed_at = check.signer, check.signed_at
    listed = set()
    for entry in manifest["files"]:
        name = entry["name"]
        listed.add(name)
        if name not in names:
            raise _Failure(name, "listed in the manifest but missing from the package")
        content = _read(archive, name)
        if hashlib.sha256(content).hexdigest() != entry["sha256"] or len(content) != entry["size"]:
            raise _Failure(name, "its SHA-256 differs from the manifest's (the file was changed)")
        if signed and name.lower().endswith(".pdf") and not name.startswith(EVIDENCE_FOLDER):
            result.documents.append(_check_pdf_signature(name, content, roots))
        result.files_checked += 1
    for name in names:
        if name not in listed and name not in (MANIFEST_NAME, MANIFEST_SIGNATURE_NAME):
            raise _Failure(name, "in the package but not in the manifest (a file was added)")
    return result


def package_verify(content: bytes, *, trust_anchor_paths=None) -> PackageVerification:
    """Verify a filing package (the ZIP's bytes) against the trust anchors
    (settings.JINZHI_TRUST_ANCHORS unless given). Raises PackageUnreadable
    when it is not a ZIP or an anchor cannot be read; every other problem
    is a FAILED result naming the file."""
    roots = trust_roots(trust_anchor_paths)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise PackageUnreadable("not a ZIP file") from None
    with archive:
        try:
            return _verify(archive, roots)
        except _Failure as failure:
            return PackageVerification(
                status=FAILED, failed_file=failure.name, problem=failure.problem
            )
