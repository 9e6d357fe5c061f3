"""Signing what a unit issues, with pyHanko: each document PAdES baseline
B-B (an incremental update, so a PDF/A stays PDF/A), and the filing
package's manifest.json as a detached CMS signature (manifest.json.p7s).

A unit's key and certificate are files in JINZHI_SIGNING_DIR/<机关代字>/
(key.pem, cert.pem and, optionally, chain.pem with the issuing CAs); the
key's passphrase comes from JINZHI_SIGNING_KEY_PASSPHRASE. A unit without
them issues unsigned documents: `unit_signing_status` says why, for the
pages."""

import asyncio
import concurrent.futures
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.pki import CERT_FILE, CHAIN_FILE, DEMO_MARK, KEY_FILE

logger = logging.getLogger(__name__)

SIGNATURE_FIELD = "Signature1"
DIGEST = "sha256"
SIGNATURE_OVERHEAD_BYTES = 2048


@dataclass(frozen=True)
class SigningStatus:
    """Whether a unit signs what it issues, and with which certificate."""

    signs: bool
    signer: str = ""  # the certificate's subject, for the pages
    demo: bool = False
    problem: str = ""  # why not, when it does not

    @property
    def message(self) -> str:
        if self.signs:
            return _("以“%(signer)s”的证书签名") % {"signer": self.signer}
        return self.problem


def run_coroutine(coroutine):
    """Run one of pyHanko's coroutines to its end from synchronous code; in a
    thread of its own when this thread already runs an event loop (an async
    caller, or Playwright in the browser tests)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def unit_signing_dir(unit) -> Path | None:
    if not settings.JINZHI_SIGNING_DIR:
        return None
    return Path(settings.JINZHI_SIGNING_DIR) / unit.abbreviation


# (directory, mtimes) -> signer; keys are read once per process and again
# when their files change (a rotation needs no restart).
_signers: dict = {}


def _credential_files(directory: Path) -> tuple[Path, Path, list[Path]]:
    chain = directory / CHAIN_FILE
    return directory / KEY_FILE, directory / CERT_FILE, [chain] if chain.is_file() else []


def unit_signer(unit):
    """The unit's pyHanko signer, or None when it has no usable key (the
    reason is in unit_signing_status)."""
    directory = unit_signing_dir(unit)
    if directory is None:
        return None
    key_path, cert_path, chain = _credential_files(directory)
    if not (key_path.is_file() and cert_path.is_file()):
        return None
    stamp = (str(directory), *(p.stat().st_mtime_ns for p in (key_path, cert_path, *chain)))
    if stamp not in _signers:
        from pyhanko.sign import signers

        passphrase = settings.JINZHI_SIGNING_KEY_PASSPHRASE
        try:
            signer = signers.SimpleSigner.load(
                str(key_path),
                str(cert_path),
                ca_chain_files=[str(p) for p in chain] or None,
                key_passphrase=passphrase.encode() if passphrase else None,
            )
        except Exception:  # pyHanko logs and raises several types for a bad key
            logger.exception("cannot load the signing key in %s", directory)
            signer = None
        _signers.clear()  # one unit's rotation drops the others' cache too: cheap
        _signers[stamp] = signer
    return _signers[stamp]


def certificate_subject(certificate) -> str:
    """The common name of an asn1crypto certificate (else its whole subject)."""
    subject = certificate.subject.native
    return subject.get("common_name") or certificate.subject.human_friendly


def unit_signing_status(unit) -> SigningStatus:
    directory = unit_signing_dir(unit)
    if directory is None:
        return SigningStatus(
            signs=False, problem=_("未配置签名证书（JINZHI_SIGNING_DIR为空），文书不签名。")
        )
    key_path, cert_path, _chain = _credential_files(directory)
    if not (key_path.is_file() and cert_path.is_file()):
        return SigningStatus(
            signs=False,
            problem=_("本单位未配置签名证书（%(dir)s下无key.pem和cert.pem），文书不签名。")
            % {"dir": directory.name},
        )
    signer = unit_signer(unit)
    if signer is None:
        return SigningStatus(
            signs=False, problem=_("本单位的签名密钥无法读取（口令错误或文件损坏），文书不签名。")
        )
    subject = certificate_subject(signer.signing_cert)
    return SigningStatus(signs=True, signer=subject, demo=DEMO_MARK in subject)


def pdf_sign(content: bytes, *, unit, field_name: str = SIGNATURE_FIELD) -> bytes:
    """The PDF signed PAdES B-B with the unit's certificate, as an incremental
    update (the signed revision stays byte for byte what was rendered); the
    PDF unchanged when the unit does not sign."""
    signer = unit_signer(unit)
    if signer is None:
        return content
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm=DIGEST,
        subfilter=fields.SigSeedSubFilter.PADES,
        name=unit.name,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
    _producer_as_in_xmp(writer)
    signed = signers.async_sign_pdf(
        writer, metadata, signer=signer, bytes_reserved=_bytes_reserved(signer)
    )
    return run_coroutine(signed).getvalue()


def _producer_as_in_xmp(writer) -> None:
    """PDF/A wants the Info dictionary to agree with the XMP packet. pyHanko
    writes its own name as the XMP pdf:Producer but appends it to the Info
    /Producer ("WeasyPrint 70.0; pyHanko …"): give the Info the same name."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.metadata.model import VENDOR

    try:
        info_ref = writer.prev.trailer_view.raw_get("/Info")
    except KeyError:  # no Info dictionary: nothing to disagree
        return
    if not isinstance(info_ref, generic.IndirectObject):
        return
    info = info_ref.get_object()
    info["/Producer"] = generic.TextStringObject(VENDOR)
    writer.mark_update(info_ref)


def _bytes_reserved(signer) -> int:
    """Room for the CMS in the PDF: the certificates it carries plus room for
    the attributes and the signature value (an RSA-4096 one included).
    Sizing it here spares pyHanko a dry-run signature (half the signing
    time); the demo's takes about 1.6 KB of 3 KB reserved."""
    certificates = {c.dump() for c in (signer.signing_cert, *signer.cert_registry)}
    # Counted in hexadecimal digits, as /Contents is written: two a byte.
    return 2 * (SIGNATURE_OVERHEAD_BYTES + sum(len(der) for der in certificates))


def is_signed(content: bytes) -> bool:
    """Whether the PDF carries one of our signatures (their SubFilter is
    written in clear); cheap enough to ask of every document of a package."""
    return b"/ETSI.CAdES.detached" in content


def pdf_sign_once(content: bytes, *, unit) -> bytes:
    """Sign an issued document that was issued unsigned (before the unit had
    its key): the issued bytes stay the signed revision."""
    return content if is_signed(content) else pdf_sign(content, unit=unit)


def data_sign(data: bytes, *, unit) -> bytes | None:
    """A detached CMS signature (DER) over `data` with the unit's
    certificate; None when the unit does not sign."""
    signer = unit_signer(unit)
    if signer is None:
        return None
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

    # The signing time as a signed attribute: the receiver shows it.
    attributes = PdfCMSSignedAttributes(signing_time=timezone.now())
    signed = signer.async_sign_general_data(
        data, DIGEST, detached=True, signed_attr_settings=attributes
    )
    return run_coroutine(signed).dump()
