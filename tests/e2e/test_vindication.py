"""Clarification after a false accusation, the no-impact certificate and the
personnel query, walked in Chromium; the pages and the PDFs (as images) are
saved under test-artifacts/screenshots/vindication-*.png."""

import re
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.demo import seed_demo_data
from accounts.models import Officer, Unit
from tests.documents.pdf import fonts_of, page_size_mm, read_pdf, text_of
from tests.e2e.conftest import ROOT, SCREENSHOTS
from tests.vindication.conftest import decide_case
from vindication.models import ClarificationRecord

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = "<script>alert(1)</script>"
ARTIFACTS = ROOT / "test-artifacts"


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _save_pdf(download, name: str) -> bytes:
    """Keep the PDF under test-artifacts/ and its pages as images."""
    path = ARTIFACTS / f"{name}.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    download.save_as(str(path))
    subprocess.run(  # noqa: S603 - fixed arguments
        ["/usr/bin/pdftoppm", "-png", "-r", "60", str(path), str(SCREENSHOTS / name)],
        check=True,
    )
    return path.read_bytes()


def _check_pdf(content: bytes) -> str:
    reader = read_pdf(content)
    width, height = page_size_mm(reader)
    assert round(width) == 210 and round(height) == 297
    assert all(font.embedded and font.subset for font in fonts_of(reader))
    return re.sub(r"—\d+—", "", re.sub(r"\s+", "", text_of(reader)))


def test_a_leader_clarifies_a_false_accusation(as_user):
    seed_demo_data()
    today = timezone.localdate().strftime("%Y-%m-%d")
    leader = as_user("ta_leader")

    leader.get_by_test_id("nav-protections-menu").click()

    leader.get_by_test_id("nav-clarifications").click()
    leader.get_by_role("link", name="登记不实反映").click()
    leader.get_by_label("被反映的执法人员").select_option(
        label="张执法（37090011，泰安市市场监督管理局）"
    )
    leader.get_by_label("反映性质").select_option(label="诬告")
    leader.get_by_label("反映渠道").select_option(label="信访")
    leader.get_by_label("来源说明").fill("信访件2026第18号")
    leader.get_by_label("收到日期").fill(today)
    leader.get_by_label("反映的内容").fill("来信称张执法在检查中故意刁难商户、索要财物。" + SCRIPT)
    leader.get_by_role("button", name="登记", exact=True).click()
    expect(leader.get_by_test_id("clarification-state")).to_have_text("已登记")
    expect(leader.get_by_text(SCRIPT)).to_be_visible()  # shown as text, not run
    _shot(leader, "vindication-01-recorded")

    # A decision before the finding is not even offered; the finding comes first.
    expect(leader.get_by_test_id("form-decide")).to_have_count(0)
    finding = leader.get_by_test_id("form-find")
    finding.get_by_label("反映不实").check()
    finding.get_by_label("核实单位或人员").fill("本局执法稽查科调查组")
    finding.get_by_label("核实日期").fill(today)
    finding.get_by_label("核实依据").fill(
        "调阅执法记录仪视频和检查记录，检查全程规范，未见刁难和索要财物。"
    )
    finding.get_by_role("button", name="记录核实结论").click()
    expect(leader.get_by_test_id("clarification-state")).to_have_text("经核实不实")

    decision = leader.get_by_test_id("form-decide")
    decision.get_by_label("决定机关或会议").fill("局党组会议")
    decision.get_by_label("决定日期").fill(today)
    decision.get_by_label("本单位范围内").check()
    decision.get_by_label("具体范围").fill("在被举报人所在单位")
    decision.get_by_role("button", name="决定澄清正名并生成通知").click()
    expect(leader.get_by_test_id("clarification-state")).to_have_text("已决定澄清正名")
    expect(leader.get_by_test_id("scope")).to_contain_text("本单位范围内（在被举报人所在单位）")
    _shot(leader, "vindication-02-decided")

    with leader.expect_download() as download:
        leader.get_by_test_id("notice-download").click()
    text = _check_pdf(_save_pdf(download.value, "vindication-notice"))
    record = ClarificationRecord.objects.get()
    assert "关于为张执法同志澄清正名的通知" in text
    assert record.number in text
    assert "第十一条" in text and "有关情况应当在一定范围内公开" in text
    assert SCRIPT in text

    leader.get_by_test_id("form-issue").get_by_role("button", name="发布通知").click()
    expect(leader.get_by_test_id("clarification-state")).to_have_text("已发布澄清正名通知")
    expect(leader.get_by_test_id("no-actions")).to_have_count(0)
    _shot(leader, "vindication-03-issued")


def test_a_certificate_from_the_case_page_and_the_personnel_query(as_user):
    seed_demo_data()
    city = Unit.objects.get(name="泰安市市场监督管理局")
    zhang = Officer.objects.get(certificate_number="37090011")
    exempt = decide_case("exempt", officer=zhang, unit=city)
    decide_case("liable", officer=zhang, unit=city)

    inspector = as_user(exempt.staff.inspector)
    inspector.goto(f"/cases/{exempt.case.pk}/")
    panel = inspector.locator("#no-impact-panel")
    expect(panel).to_contain_text("张执法")
    expect(panel).to_contain_text("不予追究责任")
    panel.get_by_role("button", name="出具不受影响证明").click()
    expect(
        inspector.get_by_role("alert").filter(has_text="已申请出具张执法的不受影响证明")
    ).to_be_visible()
    download_link = inspector.get_by_test_id(f"certificate-download-{exempt.officer.pk}")
    expect(download_link).to_be_visible(timeout=30_000)
    panel.scroll_into_view_if_needed()
    _shot(inspector, "vindication-04-case-certificate")
    with inspector.expect_download() as download:
        download_link.click()
    text = _check_pdf(_save_pdf(download.value, "vindication-certificate"))
    assert "关于张执法同志不受影响的证明" in text
    assert exempt.case.number in text
    assert "第十三条" in text and "职级职称晋升等方面不受影响" in text

    leader = as_user("ta_leader")
    leader.get_by_test_id("nav-protections-menu").click()
    leader.get_by_test_id("nav-personnel-query").click()
    leader.get_by_label("执法人员姓名或执法证号").fill("37090011")
    leader.get_by_role("button", name="查询").click()
    result = leader.get_by_test_id("personnel-result")
    expect(result).to_contain_text("张执法的责任认定情况")
    rows = leader.get_by_test_id("personnel-entries").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(leader.get_by_test_id(f"entry-{exempt.case.pk}")).to_contain_text("✓ 不受影响")
    expect(leader.locator("[data-effect='may_affect']")).to_contain_text("! 可能影响")
    _shot(leader, "vindication-05-personnel-query")
    leader.emulate_media(media="print")
    _shot(leader, "vindication-06-personnel-query-print")
