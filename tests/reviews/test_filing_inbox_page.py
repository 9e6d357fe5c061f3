"""The discipline liaison's inbox as they use it: each package with its
SHA-256, a receipt of every download read back from the audit trail, the
acknowledgement with its time, and the case page telling the case officer;
a liaison of another body sees and gets nothing."""

import hashlib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import strip_tags

from accounts.roles import Role
from audit.models import AuditEventType
from cases.workflow import CaseState
from filing import errors as filing_errors
from filing.models import FilingPackage
from filing.services.filing import filing_package_build, filing_package_download_record
from filing.services.package_verification import filing_package_verify
from tests.conftest import built_once_per_module, for_one_test
from tests.factories import DisciplineBodyFactory, UserFactory
from tests.flows import taian_case_at

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _filed_case():
    return taian_case_at(CaseState.FILED)


# Every test starts from the same filed case: built once, each test's changes rolled back.
_filed_built = built_once_per_module(_filed_case)


@pytest.fixture
def filed(_filed_built, settings):
    return for_one_test(_filed_built, settings)


@pytest.fixture
def package(filed):
    return FilingPackage.objects.get(case=filed.case)


@pytest.fixture
def liaison(filed):
    return UserFactory(
        display_name="吴联络",
        roles=[Role.DISCIPLINE_LIAISON],
        discipline_body=filed.case.unit.discipline_body,
    )


@pytest.fixture
def stranger(db):
    return UserFactory(
        display_name="沈联络",
        roles=[Role.DISCIPLINE_LIAISON],
        discipline_body=DisciplineBodyFactory(),
    )


def _inbox(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("filings:inbox"))
    assert response.status_code == 200
    return response.content.decode()


def _text(html: str) -> str:
    return " ".join(strip_tags(html).split())


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _receipt_url(package, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("filings:receipt", args=[package.pk]) + (f"?{query}" if query else "")


def _download(client, package):
    response = client.get(reverse("filings:download", args=[package.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


# --- the inbox --------------------------------------------------------------------------


def test_it_lists_the_package_with_its_hash_and_waits_for_acknowledgement(
    client, filed, package, liaison
):
    page = _inbox(client, liaison)
    assert filed.case.number in page
    assert package.sha256 in page
    assert "待签收" in page and "尚未签收" in page
    assert "尚无下载记录。" in page
    assert f'data-testid="acknowledge-{package.pk}"' in page
    assert f'id="download-{package.pk}"' in page


def test_the_receipt_button_is_disabled_with_its_reason_until_the_liaison_downloads(
    client, package, liaison
):
    page = _inbox(client, liaison)
    button = re.search(rf'<button[^>]*data-testid="acknowledge-{package.pk}"[^>]*>', page)
    assert "disabled" in button.group(0)
    assert str(filing_errors.DOWNLOAD_BEFORE_ACKNOWLEDGING) in page
    client.get(reverse("filings:download", args=[package.pk]))
    # The receipt the inbox reloads after the download now offers the button.
    receipt = client.get(_receipt_url(package), **HTMX).content.decode()
    button = re.search(rf'<button[^>]*data-testid="acknowledge-{package.pk}"[^>]*>', receipt)
    assert "disabled" not in button.group(0)
    assert str(filing_errors.DOWNLOAD_BEFORE_ACKNOWLEDGING) not in receipt


def test_it_refuses_a_user_who_is_no_liaison(client, filed):
    client.force_login(filed.staff.inspector)
    assert client.get(reverse("filings:inbox")).status_code == 403


def test_unacknowledged_packages_come_first(client, filed, package, liaison):
    client.force_login(liaison)
    client.get(reverse("filings:download", args=[package.pk]))
    client.post(reverse("filings:acknowledge", args=[package.pk]))
    correction = filing_package_build(
        actor=filed.staff.inspector, case=filed.case, correction_reason="补充证据目录"
    )
    page = _inbox(client, liaison)
    assert page.index(f'data-testid="package-{correction.pk}"') < page.index(
        f'data-testid="package-{package.pk}"'
    )
    assert "补充证据目录" in page


def test_the_inbox_runs_the_same_queries_for_one_package_or_three(client, filed, package, liaison):
    client.force_login(liaison)
    _download(client, package)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("filings:inbox")).status_code == 200
        return len(queries)

    one = count()
    for reason in ("补充证据目录", "更正决定书文号"):
        filing_package_build(actor=filed.staff.inspector, case=filed.case, correction_reason=reason)
    for version in FilingPackage.objects.filter(case=filed.case):
        filing_package_download_record(actor=liaison, package=version)
        filing_package_verify(actor=liaison, package=version)
    assert count() == one


# --- downloads and their receipt ----------------------------------------------------------


def test_a_download_is_shown_back_as_a_receipt(client, package, liaison):
    client.force_login(liaison)
    content = _download(client, package)
    event = package.case.audit_events.filter(
        event_type=AuditEventType.FILING_PACKAGE_DOWNLOADED
    ).get()
    page = _text(_inbox(client, liaison))
    assert (
        f"下载回执：吴联络于{_when(event.occurred_at)}下载了第1版材料包，SHA-256 {package.sha256}"
    ) in page
    assert "与报送时的校验值一致" in page
    assert "下载记录（共 1 次）" in page
    assert hashlib.sha256(content).hexdigest() == package.sha256


def test_the_receipt_fragment_brings_the_new_download(client, package, liaison):
    client.force_login(liaison)
    _download(client, package)
    response = client.get(_receipt_url(package, seen=0), **HTMX)
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "filing/_filing_receipt.html"
    html = response.content.decode()
    assert "<html" not in html
    assert "下载回执：吴联络于" in _text(html) and package.sha256 in html
    assert "load delay" not in html  # nothing more to wait for
    assert '"seen": "1"' in html


def test_the_receipt_asks_again_while_the_download_is_not_on_record(client, package, liaison):
    client.force_login(liaison)
    html = client.get(_receipt_url(package, seen=0), **HTMX).content.decode()
    # The download link's event (sent by static/js/app.js: no inline handler
    # under the CSP) asks again.
    assert f"filingdownload from:#download-{package.pk} delay:1s, load delay:1s" in html
    assert '"try": "1"' in html
    # It gives up after a few tries.
    html = client.get(_receipt_url(package, seen=0, **{"try": 5}), **HTMX).content.decode()
    assert "load delay" not in html
    assert "尚无下载记录。" in html


def test_the_receipt_shows_the_users_own_latest_download(client, package, liaison, filed):
    filing_package_download_record(actor=filed.staff.inspector, package=package)
    client.force_login(liaison)
    page = _inbox(client, liaison)
    assert f'data-testid="receipt-{package.pk}"' not in page  # the liaison has not downloaded
    assert f"{filed.staff.inspector.get_full_name()} · " in page  # but the record says who did


def test_download_refuses_post(client, package, liaison):
    client.force_login(liaison)
    assert client.post(reverse("filings:download", args=[package.pk])).status_code == 405
    assert not package.case.audit_events.filter(
        event_type=AuditEventType.FILING_PACKAGE_DOWNLOADED
    ).exists()


# --- acknowledgement -----------------------------------------------------------------------


def test_the_liaison_acknowledges_and_sees_the_time(client, package, liaison):
    client.force_login(liaison)
    client.get(reverse("filings:download", args=[package.pk]))
    response = client.post(reverse("filings:acknowledge", args=[package.pk]), follow=True)
    package.refresh_from_db()
    when = _when(package.acknowledged_at)
    page = response.content.decode()
    assert f"已签收{package.case.number}的备案材料（第1版），签收时间：{when}。" in page
    assert f"已签收：吴联络，{when}" in page
    assert f'data-testid="acknowledge-{package.pk}"' not in page
    acknowledged = package.case.audit_events.filter(event_type=AuditEventType.FILING_ACKNOWLEDGED)
    assert acknowledged.count() == 1


def test_a_repeated_acknowledgement_is_harmless(client, package, liaison):
    client.force_login(liaison)
    client.get(reverse("filings:download", args=[package.pk]))
    client.post(reverse("filings:acknowledge", args=[package.pk]))
    first = FilingPackage.objects.get(pk=package.pk).acknowledged_at
    response = client.post(reverse("filings:acknowledge", args=[package.pk]), follow=True)
    assert str(filing_errors.ALREADY_ACKNOWLEDGED) in response.content.decode()
    assert FilingPackage.objects.get(pk=package.pk).acknowledged_at == first
    acknowledged = package.case.audit_events.filter(event_type=AuditEventType.FILING_ACKNOWLEDGED)
    assert acknowledged.count() == 1


def test_the_case_page_tells_the_case_officer_whether_and_when(client, filed, package, liaison):
    client.force_login(filed.staff.inspector)
    url = reverse("cases:detail", args=[filed.case.pk])
    assert "纪检监察机关尚未签收" in client.get(url).content.decode()
    client.force_login(liaison)
    client.get(reverse("filings:download", args=[package.pk]))
    client.post(reverse("filings:acknowledge", args=[package.pk]))
    package.refresh_from_db()
    client.force_login(filed.staff.inspector)
    page = client.get(url).content.decode()
    assert f"吴联络于{_when(package.acknowledged_at)}签收" in page
    assert "纪检监察机关尚未签收" not in page


# --- another body's liaison ---------------------------------------------------------------------


def test_a_liaison_of_another_body_sees_nothing_and_is_refused(client, filed, package, stranger):
    page = _inbox(client, stranger)
    assert filed.case.number not in page
    assert "暂无报送的备案材料。" in page
    assert client.get(reverse("filings:download", args=[package.pk])).status_code == 403
    assert client.get(_receipt_url(package), **HTMX).status_code == 403
    assert client.post(reverse("filings:acknowledge", args=[package.pk])).status_code == 403
    package.refresh_from_db()
    assert package.acknowledged_at is None
    assert not package.case.audit_events.filter(
        event_type__in=[
            AuditEventType.FILING_PACKAGE_DOWNLOADED,
            AuditEventType.FILING_ACKNOWLEDGED,
        ]
    ).exists()


def test_a_missing_package_is_404(client, liaison):
    client.force_login(liaison)
    assert client.get(reverse("filings:download", args=[999999])).status_code == 404
    assert client.get(reverse("filings:receipt", args=[999999])).status_code == 404
