"""The liaison's inbox verifies each package before offering its download
(issue 17): the result (signer, time, or the file that failed) is shown and
recorded in the audit trail; a package that fails is not offered; an
unsigned configuration is said so, on the inbox and on the case page."""

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from accounts.roles import Role
from audit.models import AuditEvent, AuditEventType
from documents import pki
from filing.models import FilingPackage
from tests.documents.signing import configure, make_pki
from tests.factories import DisciplineBodyFactory, UserFactory
from tests.flows import taian_case_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def signing(settings, tmp_path, unit):
    test_pki = make_pki(tmp_path / "pki")
    test_pki.issue(unit)
    configure(settings, test_pki)
    return test_pki


def _filed(unit):
    return taian_case_at("filed", unit=unit)


@pytest.fixture
def liaison(unit):
    return UserFactory(
        display_name="吴联络",
        roles=[Role.DISCIPLINE_LIAISON],
        discipline_body=unit.discipline_body,
    )


def _verifications():
    return AuditEvent.objects.filter(event_type=AuditEventType.FILING_PACKAGE_VERIFIED)


def _inbox_text(client, liaison) -> str:
    client.force_login(liaison)
    response = client.get(reverse("filings:inbox"))
    assert response.status_code == 200
    return " ".join(strip_tags(response.content.decode()).split())


def _tamper(package: FilingPackage) -> str:
    """Change one byte of the package's second document, in storage."""
    with package.file.open("rb") as handle:
        content = handle.read()
    source = zipfile.ZipFile(io.BytesIO(content))
    name = [n for n in source.namelist() if n.endswith(".pdf")][1]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for member in source.namelist():
            data = source.read(member)
            if member == name:
                data = data[:-10] + b"X" + data[-9:]
            target.writestr(member, data)
    with open(package.file.path, "wb") as handle:
        handle.write(buffer.getvalue())
    return name


def test_a_signed_package_is_verified_shown_and_recorded(client, unit, signing, liaison):
    flow = _filed(unit)
    package = FilingPackage.objects.get(case=flow.case)
    text = _inbox_text(client, liaison)
    assert "签名核验通过" in text
    assert f"由“{unit.name}（{pki.DEMO_MARK}）”于" in text
    event = _verifications().get()
    assert (event.actor, event.object_id) == (liaison, str(package.pk))
    assert event.data["status"] == "verified" and event.data["documents"]
    built = AuditEvent.objects.get(event_type=AuditEventType.FILING_PACKAGE_BUILT)
    assert built.data["signed"] is True
    assert (
        reverse("filings:download", args=[package.pk]) in client.get("/filings/").content.decode()
    )


def test_a_package_is_verified_once_until_asked_again(client, unit, signing, liaison):
    package = FilingPackage.objects.get(case=_filed(unit).case)
    _inbox_text(client, liaison)
    _inbox_text(client, liaison)
    assert _verifications().count() == 1
    response = client.post(reverse("filings:verify", args=[package.pk]))
    assert response.status_code == 302
    assert _verifications().count() == 2


def test_a_changed_package_is_named_and_not_offered(client, unit, signing, liaison):
    package = FilingPackage.objects.get(case=_filed(unit).case)
    name = _tamper(package)
    text = _inbox_text(client, liaison)
    assert "签名核验未通过" in text and f"文件“{name}”未通过核验" in text
    page = client.get("/filings/").content.decode()
    assert reverse("filings:download", args=[package.pk]) not in page
    assert _verifications().get().data["failed_file"] == name
    response = client.get(reverse("filings:download", args=[package.pk]))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(
        event_type=AuditEventType.FILING_PACKAGE_DOWNLOADED
    ).exists()


def test_an_unsigned_package_is_said_so_and_offered(client, unit, liaison):
    package = FilingPackage.objects.get(case=_filed(unit).case)
    text = _inbox_text(client, liaison)
    assert "材料包未签名" in text and "未配置签名证书" in text
    assert _verifications().get().data["status"] == "unsigned"
    built = AuditEvent.objects.get(event_type=AuditEventType.FILING_PACKAGE_BUILT)
    assert built.data["signed"] is False
    assert client.get(reverse("filings:download", args=[package.pk])).status_code == 200


def test_a_download_never_verified_is_verified_first(client, unit, signing, liaison):
    package = FilingPackage.objects.get(case=_filed(unit).case)
    client.force_login(liaison)
    assert client.get(reverse("filings:download", args=[package.pk])).status_code == 200
    assert _verifications().get().data["status"] == "verified"


def test_verify_refuses_get_and_another_body(client, unit, liaison):
    package = FilingPackage.objects.get(case=_filed(unit).case)
    client.force_login(liaison)
    assert client.get(reverse("filings:verify", args=[package.pk])).status_code == 405
    stranger = UserFactory(roles=[Role.DISCIPLINE_LIAISON], discipline_body=DisciplineBodyFactory())
    client.force_login(stranger)
    assert client.post(reverse("filings:verify", args=[package.pk])).status_code == 403
    assert not _verifications().exists()


def test_the_case_page_says_whether_the_unit_signs(client, unit, settings, tmp_path):
    flow = _filed(unit)
    client.force_login(flow.staff.inspector)
    page = " ".join(strip_tags(client.get(f"/cases/{flow.case.pk}/").content.decode()).split())
    assert "未配置签名证书" in page and "未签名" in page
    test_pki = make_pki(tmp_path / "pki")
    test_pki.issue(unit)
    configure(settings, test_pki)
    page = " ".join(strip_tags(client.get(f"/cases/{flow.case.pk}/").content.decode()).split())
    assert f"以“{unit.name}（{pki.DEMO_MARK}）”的证书签名" in page
