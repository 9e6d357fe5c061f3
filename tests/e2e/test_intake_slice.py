"""The first slice as a new user does it: log in as the demo inspector, file a
case, open its intake registration form; a user of another unit cannot."""

import re

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, seed_demo_data
from cases.models import Case
from tests.documents.pdf import read_pdf, text_of
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def _fill_incident(page, summary: str) -> None:
    page.get_by_label("行为发生日期").fill("2026-03-05")
    page.get_by_label("发生地点").fill("泰安市泰山区")
    page.get_by_label("领域").select_option("food")
    page.get_by_label("执法活动类型").select_option("inspection")
    page.get_by_label("线索来源").select_option("complaint")
    page.get_by_label("事件概要").fill(summary)


def _file_draft(page, officer_label: str, part: str, screenshot=None) -> None:
    """The intake wizard's officers and allegation steps (after the incident
    step), which open the draft case; then the case page."""
    page.get_by_role("button", name="下一步").click()
    page.locator("#id_officers-0-officer").select_option(label=officer_label)
    page.locator("#id_officers-0-part").select_option(part)
    if screenshot:
        screenshot("02-create-case")
    page.get_by_role("button", name="下一步").click()
    page.get_by_label("反映的问题（执法过错指控）").fill("执法人员涉嫌未履行监督检查职责。")
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_role("heading", name="第四步：证据材料")).to_be_visible()
    page.goto(f"/cases/{Case.objects.get().pk}/")


def test_an_inspector_files_a_case_and_opens_its_intake_form(page, screenshot):
    seed_demo_data()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    screenshot("01-login")

    log_in(page, "ta_inspector", DEMO_PASSWORD)
    # Everyone but the liaison and the administrators lands on their own work.
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()
    expect(page.get_by_test_id("current-user")).to_contain_text("王承办")
    page.get_by_role("link", name="登记案件").first.click()

    _fill_incident(
        page, "2026年3月5日，群众举报某超市销售过期食品，执法人员此前例行检查时未发现该问题。"
    )
    _file_draft(page, "张执法（泰安市市场监督管理局）", "handler", screenshot)
    expect(page).to_have_url(re.compile(r"/cases/\d+/$"))
    expect(page.get_by_test_id("case-state")).to_have_text("草稿")
    page.get_by_role("button", name="登记立案").click()
    expect(page.get_by_test_id("case-state")).to_have_text("已登记")

    case = Case.objects.get()
    expect(page.get_by_role("heading", name=case.number)).to_be_visible()
    documents = page.locator("#case-documents")
    expect(documents).to_contain_text("立案登记表")
    expect(documents).to_contain_text("已生成", timeout=30_000)
    screenshot("03-case-page")

    with page.expect_download() as download_info:
        documents.get_by_role("link", name="下载").click()
    pdf = read_pdf(download_info.value.path().read_bytes())
    assert case.number in text_of(pdf).replace(" ", "")

    page.get_by_role("link", name="案件").first.click()
    expect(page.get_by_role("link", name=case.number)).to_be_visible()


def test_a_user_of_another_unit_cannot_open_the_case(page, screenshot):
    seed_demo_data()
    log_in(page, "ta_inspector", DEMO_PASSWORD)
    page.get_by_role("link", name="登记案件").first.click()
    _fill_incident(page, "某特种设备使用单位未按期检验，执法人员已责令整改。")
    _file_draft(page, "刘执法（泰安市市场监督管理局）", "approver")
    expect(page).to_have_url(re.compile(r"/cases/\d+/$"))
    case = Case.objects.get()

    page.get_by_test_id("current-user").click()
    page.get_by_role("button", name="退出").click()
    log_in(page, "lyg_inspector", DEMO_PASSWORD)
    page.goto("/cases/")
    expect(page.get_by_text("暂无案件。")).to_be_visible()
    response = page.goto(f"/cases/{case.pk}/")
    assert response.status == 404
    screenshot("04-other-unit-404")
