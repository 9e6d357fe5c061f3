"""The interference register and protection requests in Chromium: an officer
records an interference with an attachment, the discipline liaison lists and
exports the register (CSV and the printable PDF, looked at as images), the
officer files a protection request and the designated handler starts the
coordination with the police."""

import csv
import io
import re
import subprocess

import pytest
from playwright.sync_api import expect

from accounts.demo import seed_demo_data
from protections import errors as protections_errors
from protections.demo import seed_demo_protections
from protections.models import InterferenceEntry, ProtectionRequest
from tests.documents.pdf import fonts_of, page_size_mm, read_pdf, text_of
from tests.e2e.conftest import ROOT, SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True)

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_an_interference_is_recorded_listed_and_exported(as_user):
    seed_demo_data()
    seed_demo_protections()

    officer = as_user("ta_inspector")
    officer.get_by_test_id("nav-protections-menu").click()
    officer.get_by_test_id("nav-interference").click()
    officer.get_by_role("link", name="记录干预情况").click()
    officer.get_by_label("发生时间").fill("2026-11-20T09:30")
    officer.locator("#id_interferer_name").fill("钱某")
    officer.get_by_label("干预人单位").fill("某房地产开发有限公司")
    officer.get_by_label("干预人职务").fill("董事长")
    officer.get_by_label("干预方式").select_option("in_person")
    officer.get_by_label("涉及的案件或执法事项").fill("某楼盘虚假广告案")
    officer.get_by_label("干预的具体内容").fill("到办公室当面要求撤销立案，称“出了事我负责”。")
    officer.get_by_label("本人的处理情况").fill("当场拒绝，告知将如实记录并报告。")
    officer.get_by_label("附件").set_input_files(
        files=[{"name": "便条照片.png", "mimeType": "image/png", "buffer": PNG}]
    )
    shot(officer, "protections-interference-form")
    officer.get_by_role("button", name="提交记录").click()
    entry = InterferenceEntry.objects.get(interferer_name="钱某")
    expect(officer.get_by_text(f"已记录，登记号 {entry.number}。")).to_be_visible()
    expect(officer.get_by_test_id("entry-status")).to_have_text("有效")
    expect(officer.get_by_role("link", name="便条照片.png")).to_be_visible()
    shot(officer, "protections-interference-entry")

    # An officer sees only their own entries and cannot export.
    officer.get_by_test_id("nav-protections-menu").click()
    officer.get_by_test_id("nav-interference").click()
    expect(officer.get_by_role("link", name=entry.number)).to_be_visible()
    expect(officer.get_by_role("link", name="导出 CSV")).to_have_count(0)

    liaison = as_user("ta_liaison")
    liaison.get_by_test_id("nav-protections-menu").click()
    liaison.get_by_test_id("nav-interference").click()
    expect(liaison.get_by_role("link", name=entry.number)).to_be_visible()
    liaison.get_by_label("干预方式").select_option("in_person")
    liaison.get_by_role("button", name="筛选").click()
    expect(liaison.get_by_role("link", name=entry.number)).to_be_visible()
    expect(liaison.locator("tbody tr")).to_have_count(1)
    shot(liaison, "protections-register-list")

    with liaison.expect_download() as download:
        liaison.get_by_role("link", name="导出 CSV").click()
    table = list(csv.reader(io.StringIO(download.value.path().read_bytes().decode("utf-8-sig"))))
    assert [row[0] for row in table[1:]] == [entry.number]
    assert table[1][5] == "钱某"

    liaison.goto("/protections/interference/")
    with liaison.expect_download() as download:
        liaison.get_by_role("link", name="打印登记簿（PDF）").click()
    pdf_path = ROOT / "test-artifacts" / "protections-register.pdf"
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    download.value.save_as(str(pdf_path))
    reader = read_pdf(pdf_path.read_bytes())
    width, height = page_size_mm(reader)
    assert round(width) == 210 and round(height) == 297
    assert all(font.embedded for font in fonts_of(reader))
    text = re.sub(r"\s+", "", text_of(reader))
    for number in InterferenceEntry.objects.values_list("number", flat=True):
        assert number in text
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            "/usr/bin/pdftoppm",
            "-png",
            "-r",
            "60",
            str(pdf_path),
            str(SCREENSHOTS / "protections-register-pdf"),
        ],
        check=True,
    )


def test_a_protection_request_is_filed_and_coordinated(as_user):
    seed_demo_data()
    seed_demo_protections()

    officer = as_user("ta_inspector")
    officer.get_by_test_id("nav-protections-menu").click()
    officer.get_by_test_id("nav-protection").click()
    officer.get_by_role("link", name="提出保护申请").click()
    officer.locator("#id_affected_person").select_option("child")
    officer.get_by_label("受侵害人姓名").fill("王小明")
    officer.get_by_label("遭遇的情形").select_option("threat")
    officer.get_by_label("发生时间").fill("2026-11-21T17:40")
    officer.get_by_label("发生地点").fill("泰安市某小学门口")
    officer.get_by_label("经过").fill("一名男子在校门口拦住孩子，称“让你爸小心点”。")
    officer.get_by_label("与依法履职的关系").fill("本人承办的某楼盘虚假广告案当事人。")
    officer.get_by_role("button", name="提交申请").click()
    protection = ProtectionRequest.objects.get(requested_by__username="ta_inspector")
    expect(officer.get_by_test_id("protection-status")).to_have_text("已提交")
    expect(officer.get_by_role("button", name="开始协调公安机关")).to_have_count(0)
    shot(officer, "protections-request-filed")

    handler = as_user("ta_leader")
    handler.get_by_test_id("nav-protections-menu").click()
    handler.get_by_test_id("nav-protection").click()
    handler.get_by_role("link", name=protection.number).click()
    expect(handler.get_by_test_id("refusal-measures_taken")).to_have_count(0)
    handler.get_by_label("说明").fill("已电话联系泰山分局，请求在校门口加强巡逻。")
    handler.get_by_role("button", name="开始协调公安机关").click()
    expect(handler.get_by_test_id("protection-status")).to_have_text("正在协调公安机关")
    expect(handler.get_by_test_id("refusal-measures_taken")).to_have_text(
        str(protections_errors.NO_POLICE_RECORD)
    )
    handler.get_by_label("协调日期").fill("2026-11-22")
    handler.get_by_role("textbox", name="公安机关*").fill("泰安市公安局泰山分局")
    handler.get_by_label("接警或案件编号").fill("泰公泰山警〔2026〕1021号")
    handler.get_by_label("协调事项和采取的措施").fill("通报情况；分局安排上下学时段巡逻。")
    handler.get_by_role("button", name="记录", exact=True).click()
    expect(handler.get_by_text("已记录协调公安机关情况。")).to_be_visible()
    expect(handler.get_by_role("button", name="确认已采取保护措施")).to_be_enabled()
    shot(handler, "protections-request-coordinating")
    protection.refresh_from_db()
    assert protection.status == "coordinating"
    assert [c.to_status for c in protection.status_changes.all()] == ["submitted", "coordinating"]
