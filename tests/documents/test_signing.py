"""Signed, archival filing packages (issue 17): every document PDF/A-3b with
its metadata and signed PAdES B-B by the unit, the manifest signed
(manifest.json.p7s), and the receiver's verification naming the first file
that does not verify: a changed byte, a removed or added file, a document or
manifest signed again with another key."""

import hashlib
import io
import json
import zipfile

import pikepdf
import pytest
from cryptography import x509
from django.db import transaction
from django.test import override_settings

from cases.workflow import CaseState
from documents import pki
from documents.signing import data_sign, pdf_sign, unit_signing_status
from documents.verification import (
    FAILED,
    MANIFEST_NAME,
    MANIFEST_SIGNATURE_NAME,
    UNSIGNED,
    VERIFIED,
    PackageUnreadable,
    package_verify,
)
from filing.models import FilingPackage
from filing.services.filing import zip_with_manifest
from tests.documents.signing import configure, make_pki
from tests.flows import taian_case_at

# Every test reads the package built once for the module (in the test database).
pytestmark = pytest.mark.django_db

XMP_DC = "{http://purl.org/dc/elements/1.1/}"
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"


@pytest.fixture(scope="module")
def signed(django_db_setup, django_db_blocker, tmp_path_factory):
    """A Tai'an case filed with signing configured, its package's bytes and
    the PKI; built once for the module and rolled back."""
    base = tmp_path_factory.mktemp("pki")
    test_pki = make_pki(base)
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media,
            JINZHI_SIGNING_DIR=str(test_pki.units_dir),
            JINZHI_TRUST_ANCHORS=[str(test_pki.root_path)],
        ),
        transaction.atomic(),
    ):
        flow = taian_case_at(CaseState.DECIDED)
        test_pki.issue(flow.case.unit)
        from tests.flows import move

        move(flow, "file", flow.staff.inspector)
        package = FilingPackage.objects.get(case=flow.case)
        with package.file.open("rb") as handle:
            content = handle.read()
        result = {
            "pki": test_pki,
            "content": content,
            "unit": flow.case.unit,
            "doc_number": package.case.register_entries.get(kind="filing_notice").number,
        }
        transaction.set_rollback(True)
    return result


def members(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def verify(content: bytes, signed) -> object:
    return package_verify(content, trust_anchor_paths=[signed["pki"].root_path])


def document_names(files: dict[str, bytes]) -> list[str]:
    return [n for n in files if n.endswith(".pdf") and not n.startswith("证据材料/")]


# --- a package as issued --------------------------------------------------------------


def test_a_package_verifies(signed):
    result = verify(signed["content"], signed)
    assert result.status == VERIFIED, (result.failed_file, result.problem)
    assert result.signer == f"{signed['unit'].name}（{pki.DEMO_MARK}）"
    assert result.signed_at is not None
    files = members(signed["content"])
    assert MANIFEST_SIGNATURE_NAME in files
    assert sorted(check.name for check in result.documents) == sorted(document_names(files))
    assert all(check.signer == result.signer for check in result.documents)


def test_the_manifest_names_its_signature(signed):
    manifest = json.loads(members(signed["content"])[MANIFEST_NAME])
    assert manifest["signature"] == MANIFEST_SIGNATURE_NAME


def test_every_document_is_pdfa_3b_and_signed_pades(signed):
    files = members(signed["content"])
    for name in document_names(files):
        with pikepdf.open(io.BytesIO(files[name])) as pdf:
            meta = pdf.open_metadata()
            assert meta[f"{PDFAID}part"] == "3", name
            assert meta[f"{PDFAID}conformance"] == "B", name
            assert meta[f"{XMP_DC}publisher"] == {signed["unit"].name}, name
            # PDF/A: the Info dictionary agrees with the XMP packet.
            assert str(pdf.docinfo.Producer) == meta["{http://ns.adobe.com/pdf/1.3/}Producer"]
            assert str(pdf.docinfo.Author) == meta[f"{XMP_DC}creator"][0], name
            fields = pdf.Root.AcroForm.Fields
            assert [str(f.FT) for f in fields] == ["/Sig"], name
            assert str(fields[0].V.SubFilter) == "/ETSI.CAdES.detached", name


def test_the_filing_notice_carries_its_metadata_and_case_json(signed):
    files = members(signed["content"])
    notice = next(name for name in files if name.startswith("01-"))
    with pikepdf.open(io.BytesIO(files[notice])) as pdf:
        meta = pdf.open_metadata()
        assert meta[f"{XMP_DC}identifier"] == signed["doc_number"]
        assert "备案报告" in meta[f"{XMP_DC}title"]
        assert meta[f"{XMP_DC}date"][0][:4].isdigit()
        attached = pdf.attachments["case.json"]
        assert attached.get_file().read_bytes() == files["case.json"]
        associated = [str(spec.AFRelationship) for spec in pdf.Root.AF]
        assert associated == ["/Source"]


# --- tampering ------------------------------------------------------------------------


def _flip_one_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]


def test_changing_one_byte_of_any_file_is_named(signed):
    files = members(signed["content"])
    for name in files:
        changed = dict(files, **{name: _flip_one_byte(files[name])})
        result = verify(rezip(changed), signed)
        assert result.status == FAILED, name
        assert result.failed_file == name, (name, result.problem)


def test_removing_a_file_is_named(signed):
    files = members(signed["content"])
    for name in (document_names(files)[1], "case.json", MANIFEST_SIGNATURE_NAME, MANIFEST_NAME):
        result = verify(rezip({k: v for k, v in files.items() if k != name}), signed)
        assert (result.status, result.failed_file) == (FAILED, name), result.problem


def test_adding_a_file_is_named(signed):
    files = dict(members(signed["content"]), **{"99-补充说明.pdf": b"%PDF-1.7 extra"})
    result = verify(rezip(files), signed)
    assert (result.status, result.failed_file) == (FAILED, "99-补充说明.pdf")
    assert "not in the manifest" in result.problem


def _forger(tmp_path, unit):
    forged_root = pki.root_create("Forger Root")
    forged = pki.unit_certificate_create(forged_root, unit_name=unit.name)
    directory = pki.unit_credentials_write(tmp_path / unit.abbreviation, forged_root, forged)
    return directory.parent


def _manifest_for(files: dict[str, bytes]) -> bytes:
    manifest = json.loads(files[MANIFEST_NAME])
    for entry in manifest["files"]:
        content = files[entry["name"]]
        entry.update(sha256=hashlib.sha256(content).hexdigest(), size=len(content))
    return json.dumps(manifest, ensure_ascii=False, indent=2).encode()


def test_a_package_signed_again_with_another_key_is_named(signed, settings, tmp_path):
    """A forger changes a document, signs it and the new manifest with a key
    of their own: the manifest's signature does not chain to the anchor."""
    settings.JINZHI_SIGNING_DIR = str(_forger(tmp_path, signed["unit"]))
    files = members(signed["content"])
    name = document_names(files)[1]
    files[name] = pdf_sign(files[name], unit=signed["unit"], field_name="Forged")
    files[MANIFEST_NAME] = _manifest_for(files)
    files[MANIFEST_SIGNATURE_NAME] = data_sign(files[MANIFEST_NAME], unit=signed["unit"])
    result = verify(rezip(files), signed)
    assert (result.status, result.failed_file) == (FAILED, MANIFEST_SIGNATURE_NAME)
    assert "trust anchor" in result.problem


def test_a_document_signed_with_another_key_is_named_though_the_manifest_verifies(
    signed, settings, tmp_path
):
    files = members(signed["content"])
    name = document_names(files)[2]
    settings.JINZHI_SIGNING_DIR = str(_forger(tmp_path, signed["unit"]))
    files[name] = pdf_sign(files[name], unit=signed["unit"], field_name="Forged")
    files[MANIFEST_NAME] = _manifest_for(files)
    configure(settings, signed["pki"])  # the unit's own key signs the new manifest
    files[MANIFEST_SIGNATURE_NAME] = data_sign(files[MANIFEST_NAME], unit=signed["unit"])
    result = verify(rezip(files), signed)
    assert (result.status, result.failed_file) == (FAILED, name), result.problem


def test_a_package_checked_against_another_root_fails_at_the_manifest(signed, tmp_path):
    other = make_pki(tmp_path)
    result = package_verify(signed["content"], trust_anchor_paths=[other.root_path])
    assert (result.status, result.failed_file) == (FAILED, MANIFEST_SIGNATURE_NAME)


def test_something_that_is_no_zip_is_unreadable(signed):
    with pytest.raises(PackageUnreadable, match="not a ZIP"):
        verify(b"PK not really", signed)


def test_a_der_trust_anchor_is_read_too(signed, tmp_path):
    from cryptography.hazmat.primitives.serialization import Encoding

    der = tmp_path / "root.der"
    der.write_bytes(signed["pki"].root.certificate.public_bytes(Encoding.DER))
    assert package_verify(signed["content"], trust_anchor_paths=[der]).status == VERIFIED


def test_a_bad_trust_anchor_is_unreadable(signed, tmp_path):
    bad = tmp_path / "root.pem"
    bad.write_text("not a certificate")
    with pytest.raises(PackageUnreadable, match="not a certificate"):
        package_verify(signed["content"], trust_anchor_paths=[bad])


# --- unsigned configuration -----------------------------------------------------------


def test_a_unit_without_a_key_is_reported_unsigned(unit, settings, tmp_path):
    settings.JINZHI_SIGNING_DIR = str(tmp_path)
    status = unit_signing_status(unit)
    assert not status.signs
    assert "未配置签名证书" in status.problem
    settings.JINZHI_SIGNING_DIR = ""
    assert "未配置签名证书" in unit_signing_status(unit).message


def test_an_unsigned_package_is_reported_as_such(unit, settings, tmp_path):
    settings.JINZHI_SIGNING_DIR = str(tmp_path)  # no key for the unit
    content, manifest = zip_with_manifest([("01-x.pdf", b"%PDF")], {}, signing_unit=unit)
    assert "signature" not in manifest
    assert MANIFEST_SIGNATURE_NAME not in members(content)
    result = package_verify(content, trust_anchor_paths=[])
    assert (result.status, result.failed_file) == (UNSIGNED, "")


def test_an_unsigned_document_passes_unchanged(unit, settings):
    settings.JINZHI_SIGNING_DIR = ""
    assert pdf_sign(b"%PDF-1.7", unit=unit) == b"%PDF-1.7"
    assert data_sign(b"{}", unit=unit) is None


def test_a_unit_with_a_key_signs(unit, settings, tmp_path):
    test_pki = make_pki(tmp_path)
    test_pki.issue(unit)
    configure(settings, test_pki)
    status = unit_signing_status(unit)
    assert status.signs and status.demo
    assert status.signer == f"泰安市市场监督管理局（{pki.DEMO_MARK}）"


# --- manage.py verify_package and make_demo_pki -------------------------------------


@pytest.fixture
def run(capsys, monkeypatch):
    """Run a command as manage.py would: (status, stdout, stderr)."""
    from django.core.management import get_commands, load_command_class
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)

    def run_command(name: str, *args: str) -> tuple[int, str, str]:
        command = load_command_class(get_commands()[name], name)
        capsys.readouterr()
        try:
            command.run_from_argv(["manage.py", name, *args])
            status = 0
        except SystemExit as exit:
            status = exit.code
        out, err = capsys.readouterr()
        return status, out, err

    return run_command


@pytest.fixture
def package_file(signed, tmp_path):
    def write(content: bytes = signed["content"]):
        path = tmp_path / "package.zip"
        path.write_bytes(content)
        return str(path)

    return write


def test_the_command_verifies_a_package(run, signed, package_file):
    status, out, err = run(
        "verify_package", package_file(), "--trust", str(signed["pki"].root_path)
    )
    assert (status, err) == (0, "")
    assert "verified" in out and f"{signed['unit'].name}（{pki.DEMO_MARK}）" in out


def test_the_command_takes_the_configured_trust_anchors(run, signed, package_file, settings):
    settings.JINZHI_TRUST_ANCHORS = [str(signed["pki"].root_path)]
    assert run("verify_package", package_file())[0] == 0


def test_the_command_names_a_changed_file_with_exit_1(run, signed, package_file):
    files = members(signed["content"])
    name = document_names(files)[0]
    files[name] = _flip_one_byte(files[name])
    status, out, err = run(
        "verify_package", package_file(rezip(files)), "--trust", str(signed["pki"].root_path)
    )
    assert (status, out) == (1, "")
    assert f"NOT VERIFIED: {name}:" in err and err.count("\n") == 1


def test_the_command_names_a_removed_and_an_added_file(run, signed, package_file):
    files = members(signed["content"])
    trust = ["--trust", str(signed["pki"].root_path)]
    without = rezip({k: v for k, v in files.items() if k != "case.json"})
    status, _, err = run("verify_package", package_file(without), *trust)
    assert status == 1 and "case.json:" in err
    added = rezip(dict(files, **{"extra.txt": b"x"}))
    status, _, err = run("verify_package", package_file(added), *trust)
    assert status == 1 and "extra.txt:" in err


def test_the_command_finds_another_root(run, signed, package_file, tmp_path):
    other = make_pki(tmp_path / "other")
    status, _, err = run("verify_package", package_file(), "--trust", str(other.root_path))
    assert status == 1 and f"{MANIFEST_SIGNATURE_NAME}:" in err


def test_the_command_does_not_pass_an_unsigned_package(run, unit, settings, package_file):
    settings.JINZHI_SIGNING_DIR = ""
    content, _ = zip_with_manifest([("01-x.pdf", b"%PDF")], {}, signing_unit=unit)
    status, _, err = run("verify_package", package_file(content))
    assert status == 1 and "not signed" in err


def _assert_bad_input(result, *words):
    status, out, err = result
    assert (status, out) == (2, "")
    assert err.endswith("\n") and err.count("\n") == 1
    for word in words:
        assert word in err


def test_the_command_refuses_bad_input(run, signed, package_file, tmp_path):
    trust = ["--trust", str(signed["pki"].root_path)]
    _assert_bad_input(run("verify_package", str(tmp_path / "none.zip"), *trust), "cannot read")
    _assert_bad_input(run("verify_package", package_file(b"not a zip"), *trust), "not a ZIP")
    bad = tmp_path / "bad.pem"
    bad.write_text("garbage")
    _assert_bad_input(run("verify_package", package_file(), "--trust", str(bad)), "bad.pem")
    _assert_bad_input(
        run("verify_package", package_file(), "--trust", str(tmp_path / "missing.pem")),
        "missing.pem",
    )
    _assert_bad_input(run("verify_package"), "required")


def test_make_demo_pki_issues_a_demo_certificate_per_unit(run, unit, other_unit, tmp_path):
    status, out, err = run("make_demo_pki", "--dir", str(tmp_path))
    assert (status, err) == (0, "")
    for each in (unit, other_unit):
        assert (tmp_path / "units" / each.abbreviation / pki.KEY_FILE).is_file()
        cert = x509.load_pem_x509_certificate(
            (tmp_path / "units" / each.abbreviation / pki.CERT_FILE).read_bytes()
        )
        assert cert.subject.rfc4514_string().count(pki.DEMO_MARK) == 2  # CN and O
    root = (tmp_path / pki.ROOT_FILE).read_bytes()
    status, out, _ = run("make_demo_pki", "--dir", str(tmp_path))  # idempotent
    assert (status, (tmp_path / pki.ROOT_FILE).read_bytes()) == (0, root)
    assert "new unit certificates: none" in out


def test_make_demo_pki_refuses_a_file_as_directory(run, unit, tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    _assert_bad_input(run("make_demo_pki", "--dir", str(target)), "not a directory")
    assert target.read_text() == "x"


# --- signed as issued ------------------------------------------------------------------


def test_a_document_is_signed_when_the_worker_issues_it(unit, settings, tmp_path):
    from audit.models import AuditEvent, AuditEventType
    from documents.kinds import DocumentKind
    from documents.models import Document
    from documents.services import document_render
    from tests.factories import CaseFactory, SubjectOfficerFactory

    test_pki = make_pki(tmp_path)
    test_pki.issue(unit)
    configure(settings, test_pki)
    case = CaseFactory(unit=unit)
    SubjectOfficerFactory(case=case)
    job = Document.objects.create(case=case, kind=DocumentKind.INTAKE_FORM)
    document = document_render(document_id=job.pk)
    with document.file.open("rb") as handle:
        content = handle.read()
    with pikepdf.open(io.BytesIO(content)) as pdf:
        assert pdf.open_metadata()[f"{PDFAID}part"] == "3"
        assert str(pdf.Root.AcroForm.Fields[0].V.SubFilter) == "/ETSI.CAdES.detached"
    assert hashlib.sha256(content).hexdigest() == document.sha256
    event = AuditEvent.objects.get(event_type=AuditEventType.DOCUMENT_GENERATED)
    assert event.data["signed"] is True


def test_the_command_needs_no_database(run, signed, package_file, monkeypatch):
    """Off line means without the application's database too."""
    import config.commands

    monkeypatch.setattr(config.commands, "database_problem", lambda alias: "no database")
    trust = ["--trust", str(signed["pki"].root_path)]
    assert run("verify_package", package_file(), *trust)[0] == 0
    assert run("make_demo_pki", "--dir", str(signed["pki"].base))[0] == 2
