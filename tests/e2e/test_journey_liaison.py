"""Filing walked in Chromium: the case officer files a decided Tai'an case;
the discipline liaison of the same-level body finds the package in the
inbox, downloads it (the ZIP is checked: manifest hashes, case number), sees
the receipt appear without a page load, acknowledges receipt, and the case
officer sees when; a liaison of another body sees nothing and is refused."""

import hashlib
import json
import zipfile

import pytest
from django.utils import formats, timezone
from playwright.sync_api import expect

from accounts.roles import Role
from audit.models import AuditEvent, AuditEventType
from cases.workflow import CaseState
from filing.models import FilingPackage
from tests.factories import DisciplineBodyFactory, UnitFactory
from tests.flows import person, taian_case_at

pytestmark = pytest.mark.django_db(transaction=True)


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def test_the_liaison_downloads_checks_and_acknowledges_the_filing(
    as_user, tmp_path, screenshot_dir
):
    flow = taian_case_at(CaseState.DECIDED)
    case, unit = flow.case, flow.staff.unit
    liaison = person(unit, Role.DISCIPLINE_LIAISON, "吴联络", discipline_body=unit.discipline_body)

    # The case officer files the no-liability decision.
    inspector = as_user(flow.staff.inspector)
    inspector.goto(f"/cases/{case.pk}/")
    inspector.get_by_role("button", name="报纪检监察机关备案").click()
    expect(inspector.get_by_role("alert").filter(has_text="案件已进入")).to_be_visible()
    expect(inspector.get_by_test_id("filing-1")).to_contain_text("纪检监察机关尚未签收")
    package = FilingPackage.objects.get(case=case)

    # The liaison finds it in the inbox.
    page = as_user(liaison)
    page.get_by_role("link", name="备案材料").click()
    card = page.get_by_test_id(f"package-{package.pk}")
    expect(card).to_contain_text(case.number)
    expect(card).to_contain_text(unit.name)
    expect(page.get_by_test_id(f"ack-state-{package.pk}")).to_have_text("待签收")
    expect(card).to_contain_text("尚无下载记录。")
    expect(page.get_by_test_id(f"package-sha256-{package.pk}")).to_have_text(package.sha256)
    # One signs for what one has received: not before downloading it.
    expect(card.get_by_role("button", name="签收")).to_be_disabled()
    expect(card).to_contain_text("请先下载并核对该备案材料包，再签收。")

    # Downloading leaves the page where it is and shows the receipt on it.
    page.evaluate("window.__inboxMarker = 'kept'")
    url = page.url
    with page.expect_download() as download_info:
        card.get_by_role("link", name="下载材料包（第1版）").click()
    download = download_info.value
    assert download.suggested_filename == package.file_name
    path = tmp_path / "package.zip"
    download.save_as(path)
    receipt = page.get_by_test_id(f"receipt-{package.pk}")
    expect(receipt).to_contain_text("下载回执：吴联络于")
    expect(receipt).to_contain_text("下载了第1版材料包")
    expect(receipt).to_contain_text(package.sha256)
    expect(receipt).to_contain_text("与报送时的校验值一致")
    assert page.url == url
    assert page.evaluate("window.__inboxMarker") == "kept"
    event = AuditEvent.objects.get(event_type=AuditEventType.FILING_PACKAGE_DOWNLOADED)
    assert (event.actor, event.data["sha256"]) == (liaison, package.sha256)
    expect(receipt).to_contain_text(_when(event.occurred_at))
    page.screenshot(path=str(screenshot_dir / "journey-liaison-1-downloaded.png"), full_page=True)

    # What was downloaded is what was filed, file by file.
    content = path.read_bytes()
    assert hashlib.sha256(content).hexdigest() == package.sha256
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["case_number"] == case.number
        assert manifest["version"] == 1
        listed = {entry["name"] for entry in manifest["files"]}
        assert listed == set(archive.namelist()) - {"manifest.json"}
        for entry in manifest["files"]:
            data = archive.read(entry["name"])
            assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["name"]
            assert len(data) == entry["size"]
        assert json.loads(archive.read("case.json"))["case"]["number"] == case.number
        assert any(name.endswith("备案报告.pdf") for name in listed)

    # Acknowledgement of receipt, with its time.
    expect(card.get_by_role("button", name="签收")).to_be_enabled()
    card.get_by_role("button", name="签收").click()
    package.refresh_from_db()
    when = _when(package.acknowledged_at)
    expect(page.get_by_role("alert")).to_contain_text(f"签收时间：{when}")
    expect(page.get_by_test_id(f"ack-state-{package.pk}")).to_have_text("✓ 已签收")
    expect(page.get_by_test_id(f"ack-{package.pk}")).to_have_text(f"已签收：吴联络，{when}")
    expect(card.get_by_role("button", name="签收")).to_have_count(0)
    expect(page.get_by_test_id(f"receipt-{package.pk}")).to_contain_text(package.sha256)
    page.screenshot(path=str(screenshot_dir / "journey-liaison-2-acknowledged.png"), full_page=True)

    # The case officer sees that, and when, it was received.
    inspector.goto(f"/cases/{case.pk}/")
    expect(inspector.get_by_test_id("filing-1")).to_contain_text(f"吴联络于{when}签收")
    expect(inspector.get_by_text("纪检监察机关尚未签收")).to_have_count(0)
    inspector.locator("section", has=inspector.get_by_test_id("filing-1")).screenshot(
        path=str(screenshot_dir / "journey-liaison-3-case-page.png")
    )

    # A liaison of another body sees nothing and cannot fetch the package.
    other_unit = UnitFactory(
        name="连云港市市场监督管理局",
        jurisdiction="lianyungang",
        discipline_body=DisciplineBodyFactory(name="派驻连云港市市场监督管理局纪检监察组"),
    )
    stranger = person(
        other_unit, Role.DISCIPLINE_LIAISON, "沈联络", discipline_body=other_unit.discipline_body
    )
    other = as_user(stranger)
    other.goto("/filings/")
    expect(other.get_by_test_id("no-packages")).to_have_text("暂无报送的备案材料。")
    expect(other.get_by_text(case.number)).to_have_count(0)
    other.screenshot(path=str(screenshot_dir / "journey-liaison-4-other-body.png"), full_page=True)
    assert other.request.get(f"/filings/{package.pk}/download/").status in (403, 404)
    assert other.request.get(f"/filings/{package.pk}/receipt/").status in (403, 404)
    response = other.goto(f"/filings/{package.pk}/download/")
    assert response.status in (403, 404)
    assert (
        AuditEvent.objects.filter(event_type=AuditEventType.FILING_PACKAGE_DOWNLOADED).count() == 1
    )
