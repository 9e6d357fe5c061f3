"""The liaison's inbox verifies each package before offering its download
(issue 17): the result (signer, time, or the file that failed) is shown and
recorded in the audit trail; a package that fails is not offered; an
unsigned configuration is said so, on the inbox and on the case page."""

from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from django.urls import reverse
from django.utils.html import strip_tags

from accounts.roles import Role
from audit.models import AuditEvent, AuditEventType
from documents import pki
from filing.models import FilingPackage
from tests.conftest import built_once_per_module, for_one_test
from tests.documents.signing import configure, make_pki, tamper
from tests.factories import DisciplineBodyFactory, UserFactory
from tests.flows import taian_case_at, unit_for

pytestmark = pytest.mark.django_db


def _filed_cases():
    """Two filed cases, each in a unit (and discipline body) of its own: one
    filed with its unit's certificate configured, so that its package is
    signed, and one filed unsigned. The PKI lives in the module's folder."""
    test_pki = make_pki(Path(django_settings.MEDIA_ROOT).parent / "pki")
    unit = unit_for("taian")
    test_pki.issue(unit)
    signing = {
        "JINZHI_SIGNING_DIR": str(test_pki.units_dir),
        "JINZHI_TRUST_ANCHORS": [str(test_pki.root_path)],
    }
    with override_settings(**signing):
        signed = taian_case_at("filed", unit=unit)
    return {"signed": signed, "unsigned": taian_case_at("filed"), "signing": signing}


_filed_built = built_once_per_module(_filed_cases)


@pytest.fixture
def signed(_filed_built, settings):
    """The signed filed case, its unit's signing configured as when it was filed."""
    for name, value in _filed_built[0]["signing"].items():
        setattr(settings, name, value)
    return for_one_test(_filed_built, settings, "signed")


@pytest.fixture
def unsigned(_filed_built, settings):
    return for_one_test(_filed_built, settings, "unsigned")


def _liaison(flow):
    return UserFactory(
        display_name="吴联络",
        roles=[Role.DISCIPLINE_LIAISON],
        discipline_body=flow.staff.unit.discipline_body,
    )


def _verifications(package):
    return AuditEvent.objects.filter(
        event_type=AuditEventType.FILING_PACKAGE_VERIFIED, object_id=str(package.pk)
    )


def _inbox_text(client, liaison) -> str:
    client.force_login(liaison)
    response = client.get(reverse("filings:inbox"))
    assert response.status_code == 200
    return " ".join(strip_tags(response.content.decode()).split())


@contextmanager
def _tampered(package: FilingPackage):
    """The package tampered with (tests.documents.signing.tamper); the
    module's file is put back after the test, for the tests that share it."""
    path = Path(package.file.path)
    content = path.read_bytes()
    try:
        yield tamper(package)
    finally:
        path.write_bytes(content)


def _built_event(case):
    return AuditEvent.objects.get(event_type=AuditEventType.FILING_PACKAGE_BUILT, case=case)


def test_a_signed_package_is_verified_shown_and_recorded(client, signed):
    unit, liaison = signed.staff.unit, _liaison(signed)
    package = FilingPackage.objects.get(case=signed.case)
    text = _inbox_text(client, liaison)
    assert "签名核验通过" in text
    assert f"由“{unit.name}（{pki.DEMO_MARK}）”于" in text
    event = _verifications(package).get()
    assert (event.actor, event.object_id) == (liaison, str(package.pk))
    assert event.data["status"] == "verified" and event.data["documents"]
    assert _built_event(signed.case).data["signed"] is True
    assert (
        reverse("filings:download", args=[package.pk]) in client.get("/filings/").content.decode()
    )


def test_a_package_is_verified_once_until_asked_again(client, signed):
    package = FilingPackage.objects.get(case=signed.case)
    liaison = _liaison(signed)
    _inbox_text(client, liaison)
    _inbox_text(client, liaison)
    assert _verifications(package).count() == 1
    response = client.post(reverse("filings:verify", args=[package.pk]))
    assert response.status_code == 302
    assert _verifications(package).count() == 2


def test_a_changed_package_is_named_and_not_offered(client, signed):
    package = FilingPackage.objects.get(case=signed.case)
    with _tampered(package) as name:
        text = _inbox_text(client, _liaison(signed))
        assert "签名核验未通过" in text and f"文件“{name}”未通过核验" in text
        page = client.get("/filings/").content.decode()
        assert reverse("filings:download", args=[package.pk]) not in page
        assert _verifications(package).get().data["failed_file"] == name
        response = client.get(reverse("filings:download", args=[package.pk]))
        assert response.status_code == 302
        assert not AuditEvent.objects.filter(
            event_type=AuditEventType.FILING_PACKAGE_DOWNLOADED, case=signed.case
        ).exists()


def test_an_unsigned_package_is_said_so_and_offered(client, unsigned):
    package = FilingPackage.objects.get(case=unsigned.case)
    text = _inbox_text(client, _liaison(unsigned))
    assert "材料包未签名" in text and "未配置签名证书" in text
    assert _verifications(package).get().data["status"] == "unsigned"
    assert _built_event(unsigned.case).data["signed"] is False
    assert client.get(reverse("filings:download", args=[package.pk])).status_code == 200


def test_a_download_never_verified_is_verified_first(client, signed):
    package = FilingPackage.objects.get(case=signed.case)
    client.force_login(_liaison(signed))
    assert client.get(reverse("filings:download", args=[package.pk])).status_code == 200
    assert _verifications(package).get().data["status"] == "verified"


def test_verify_refuses_get_and_another_body(client, unsigned):
    package = FilingPackage.objects.get(case=unsigned.case)
    client.force_login(_liaison(unsigned))
    assert client.get(reverse("filings:verify", args=[package.pk])).status_code == 405
    stranger = UserFactory(roles=[Role.DISCIPLINE_LIAISON], discipline_body=DisciplineBodyFactory())
    client.force_login(stranger)
    assert client.post(reverse("filings:verify", args=[package.pk])).status_code == 403
    assert not _verifications(package).exists()


def test_the_case_page_says_whether_the_unit_signs(client, unsigned, settings, tmp_path):
    flow, unit = unsigned, unsigned.staff.unit
    client.force_login(flow.staff.inspector)
    page = " ".join(strip_tags(client.get(f"/cases/{flow.case.pk}/").content.decode()).split())
    assert "未配置签名证书" in page and "未签名" in page
    test_pki = make_pki(tmp_path / "pki")
    test_pki.issue(unit)
    configure(settings, test_pki)
    page = " ".join(strip_tags(client.get(f"/cases/{flow.case.pk}/").content.decode()).split())
    assert f"以“{unit.name}（{pki.DEMO_MARK}）”的证书签名" in page
