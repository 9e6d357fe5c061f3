"""The filing package: built when the case is filed, frozen, corrected only as
a new version; the liaison of the right body downloads (audited) and signs."""

import hashlib
import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from cases.workflow import CaseState
from filing import errors as filing_errors
from filing.models import FilingPackage
from filing.services.filing import (
    filing_acknowledge,
    filing_package_build,
    filing_package_download_record,
)
from tests.conftest import built_once_per_module, for_one_test
from tests.factories import DisciplineBodyFactory, UserFactory
from tests.flows import lianyungang_case_at, taian_case_at

pytestmark = pytest.mark.django_db


def _filed_case():
    return taian_case_at(CaseState.FILED)


# Every test starts from the same filed case: built once, each test's changes rolled back.
_filed_built = built_once_per_module(_filed_case)


@pytest.fixture
def filed(_filed_built, settings):
    return for_one_test(_filed_built, settings)


@pytest.fixture
def liaison(filed):
    return UserFactory(
        roles=[Role.DISCIPLINE_LIAISON], discipline_body=filed.case.unit.discipline_body
    )


def _zip(package) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(package.file.open("rb").read()))


def test_filing_the_case_builds_the_package(filed):
    package = FilingPackage.objects.get(case=filed.case)
    assert package.version == 1
    assert package.discipline_body == filed.case.unit.discipline_body
    names = _zip(package).namelist()
    assert "manifest.json" in names and "case.json" in names
    pdfs = [name for name in names if name.endswith(".pdf")]
    assert any("备案报告" in name for name in pdfs)
    assert any("决定书" in name for name in pdfs)
    assert any("集体研究纪要" in name for name in pdfs)
    assert any("专家组书面论证意见" in name for name in pdfs)


def test_the_manifest_hashes_match_the_files(filed):
    package = FilingPackage.objects.get(case=filed.case)
    archive = _zip(package)
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["case_number"] == filed.case.number
    listed = {entry["name"] for entry in manifest["files"]}
    assert listed == set(archive.namelist()) - {"manifest.json"}
    for entry in manifest["files"]:
        content = archive.read(entry["name"])
        assert hashlib.sha256(content).hexdigest() == entry["sha256"]
        assert len(content) == entry["size"]
    assert hashlib.sha256(package.file.open("rb").read()).hexdigest() == package.sha256


def test_case_json_carries_the_determination_and_votes(filed):
    export = json.loads(_zip(FilingPackage.objects.get(case=filed.case)).read("case.json"))
    assert export["schema"] == "jinzhi.case/1"
    assert export["case"]["number"] == filed.case.number
    [officer] = export["officers"]
    assert officer["determination"]["outcome"] == "exempt"
    assert officer["determination"]["status"] == "adopted"
    assert officer["determination"]["votes"][-1]["chair"] is True
    assert officer["outcomes"]["deliberation"] == "exempt"
    assert {c["ref"] for c in officer["clauses"]["investigation"]} >= {"6.1", "7.3"}


def test_a_correction_makes_a_new_version_and_keeps_the_old(filed):
    first = FilingPackage.objects.get(case=filed.case)
    with pytest.raises(ValidationError):
        filing_package_build(actor=filed.staff.inspector, case=filed.case)
    second = filing_package_build(
        actor=filed.staff.inspector, case=filed.case, correction_reason="补充证据目录"
    )
    assert second.version == 2
    first.refresh_from_db()
    assert first.file.open("rb").read(2) == b"PK"
    assert FilingPackage.objects.filter(case=filed.case).count() == 2


def test_the_liaison_downloads_and_it_is_audited(client, filed, liaison):
    package = FilingPackage.objects.get(case=filed.case)
    client.force_login(liaison)
    inbox = client.get(reverse("filings:inbox")).content.decode()
    assert filed.case.number in inbox and "待签收" in inbox
    response = client.get(reverse("filings:download", args=[package.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
    event = AuditEvent.objects.filter(case=filed.case).order_by("-sequence").first()
    assert event.event_type == "filing_package_downloaded" and event.actor == liaison


def test_a_liaison_of_another_body_cannot_see_or_download(client, filed):
    stranger = UserFactory(roles=[Role.DISCIPLINE_LIAISON], discipline_body=DisciplineBodyFactory())
    package = FilingPackage.objects.get(case=filed.case)
    client.force_login(stranger)
    assert filed.case.number not in client.get(reverse("filings:inbox")).content.decode()
    assert client.get(reverse("filings:download", args=[package.pk])).status_code == 403
    assert client.post(reverse("filings:acknowledge", args=[package.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        filing_package_download_record(actor=stranger, package=package)


def test_the_liaison_acknowledges_once_and_the_case_page_shows_it(client, filed, liaison):
    package = FilingPackage.objects.get(case=filed.case)
    client.force_login(liaison)
    assert client.get(reverse("filings:acknowledge", args=[package.pk])).status_code == 405
    client.get(reverse("filings:download", args=[package.pk]))  # one signs for what one has
    client.post(reverse("filings:acknowledge", args=[package.pk]))
    package.refresh_from_db()
    assert package.acknowledged_by == liaison and package.acknowledged_at is not None
    with pytest.raises(ValidationError):
        filing_acknowledge(actor=liaison, package=package)
    client.force_login(filed.staff.inspector)
    page = client.get(reverse("cases:detail", args=[filed.case.pk])).content.decode()
    assert "签收" in page and liaison.get_full_name() in page


def test_the_liaison_cannot_acknowledge_before_downloading(client, filed, liaison):
    package = FilingPackage.objects.get(case=filed.case)
    with pytest.raises(ValidationError, match=str(filing_errors.DOWNLOAD_BEFORE_ACKNOWLEDGING)):
        filing_acknowledge(actor=liaison, package=package)
    client.force_login(liaison)
    response = client.post(reverse("filings:acknowledge", args=[package.pk]), follow=True)
    assert str(filing_errors.DOWNLOAD_BEFORE_ACKNOWLEDGING) in response.content.decode()
    package.refresh_from_db()
    assert package.acknowledged_at is None
    assert not package.case.audit_events.filter(event_type="filing_acknowledged").exists()
    # Another liaison's download does not count for this one.
    other = UserFactory(roles=[Role.DISCIPLINE_LIAISON], discipline_body=liaison.discipline_body)
    filing_package_download_record(actor=other, package=package)
    with pytest.raises(ValidationError):
        filing_acknowledge(actor=liaison, package=package)
    filing_package_download_record(actor=liaison, package=package)
    assert filing_acknowledge(actor=liaison, package=package).acknowledged_by == liaison


def test_an_inspector_cannot_acknowledge(filed):
    package = FilingPackage.objects.get(case=filed.case)
    with pytest.raises(PermissionDenied):
        filing_acknowledge(actor=filed.staff.inspector, package=package)


def test_the_commands_render_and_build(filed, tmp_path):
    pdf = tmp_path / "notice.pdf"
    call_command("render_document", filed.case.number, "filing_notice", "-o", str(pdf))
    assert pdf.read_bytes()[:5] == b"%PDF-"
    archive = tmp_path / "package.zip"
    call_command("build_filing_package", filed.case.number, "-o", str(archive))
    assert "manifest.json" in zipfile.ZipFile(archive).namelist()


def test_the_commands_refuse_bad_input(filed, tmp_path):
    out = str(tmp_path / "x.pdf")
    with pytest.raises(CommandError, match="unknown case"):
        call_command("render_document", "泰市监〔1999〕9号", "decision", "-o", out)
    with pytest.raises(CommandError, match="unknown document kind"):
        call_command("render_document", filed.case.number, "poem", "-o", out)
    early = lianyungang_case_at("investigating")
    with pytest.raises(CommandError, match="has no minutes yet"):
        call_command("render_document", early.case.number, "minutes", "-o", out)
    with pytest.raises(CommandError, match="nothing to file"):
        call_command("build_filing_package", early.case.number, "-o", str(tmp_path / "y.zip"))


@pytest.mark.real_pdf  # reads the PDF's text
def test_render_document_writes_an_officers_certificate_named_by_certificate_number(
    filed, tmp_path
):
    officer = filed.case.subject_officers.select_related("officer").first().officer
    pdf = tmp_path / "certificate.pdf"
    call_command(
        "render_document",
        filed.case.number,
        "no_impact_certificate",
        "--officer",
        officer.certificate_number,
        "-o",
        str(pdf),
    )
    assert pdf.read_bytes()[:5] == b"%PDF-"
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert officer.name in text.replace(" ", "")


def test_render_document_refuses_a_missing_or_wrong_officer(filed, tmp_path):
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match="give --officer"):
        call_command("render_document", filed.case.number, "no_impact_certificate", "-o", out)
    with pytest.raises(CommandError, match="is not a subject officer"):
        call_command(
            "render_document",
            filed.case.number,
            "no_impact_certificate",
            "--officer",
            "nobody",
            "-o",
            out,
        )
    with pytest.raises(CommandError, match="not written for one officer"):
        call_command(
            "render_document", filed.case.number, "minutes", "--officer", "nobody", "-o", out
        )
    assert not out.exists()
