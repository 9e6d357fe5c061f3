"""An inspector files a case through the intake wizard in Chromium: a
validation error next to its field, a draft resumed after logging out, a
too-large file refused in the browser before anything is sent, the upload's
progress bar, the review and the registration. Each step is saved as a
screenshot (intake-*.png)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, seed_demo_data
from cases import errors as cases_errors
from cases.models import Case, Evidence, IntakeDraft
from cases.workflow import CaseState
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LIMIT = 64 * 1024


def _next(page):
    page.get_by_role("button", name="下一步").click()


def test_an_inspector_files_a_case_with_evidence_step_by_step(page, screenshot, settings, tmp_path):
    settings.EVIDENCE_MAX_BYTES = LIMIT
    seed_demo_data()
    log_in(page, "ta_inspector", DEMO_PASSWORD)
    page.get_by_role("link", name="登记案件").first.click()

    # Step 1: a future date is refused next to the field, in Chinese.
    expect(page.get_by_role("group", name="第一步：事件")).to_be_visible()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.get_by_label("行为发生日期").fill(tomorrow.isoformat())
    page.get_by_label("发生地点").fill("泰安市泰山区")
    page.get_by_label("领域").select_option("food")
    page.get_by_label("执法活动类型").select_option("inspection")
    page.get_by_label("线索来源").select_option("complaint")
    page.get_by_label("事件概要").fill(
        "2026年3月5日，群众举报某超市销售过期食品，执法人员此前例行检查时未发现。"
    )
    _next(page)
    date_field = page.locator("#div_id_incident_date")
    expect(date_field).to_contain_text(str(cases_errors.INCIDENT_DATE_IN_FUTURE))
    expect(page.get_by_label("行为发生日期")).to_have_class(re.compile("is-invalid"))
    screenshot("intake-01-incident-error")
    page.get_by_label("行为发生日期").fill("2026-03-05")
    _next(page)

    # Step 2: the officers.
    expect(page).to_have_url(re.compile(r"/cases/drafts/\d+/officers/$"))
    page.locator("#id_officers-0-officer").select_option(label="张执法（泰安市市场监督管理局）")
    page.locator("#id_officers-0-part").select_option("handler")
    screenshot("intake-02-officers")
    _next(page)

    # Step 3: half done, saved, and the inspector logs out.
    expect(page.get_by_role("heading", name="主张适用的条款")).to_be_visible()
    page.get_by_label("反映的问题（执法过错指控）").fill(
        "执法人员未能发现过期食品，涉嫌未履行监督检查职责。"
    )
    page.locator("input[name^='claims-'][value='6.4']").check()
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_role("alert").filter(has_text="草稿已保存")).to_be_visible()
    screenshot("intake-03-allegation-saved")
    page.get_by_test_id("current-user").click()
    page.get_by_role("button", name="退出").click()

    # Back in a new session: the draft is offered and resumes where it was left.
    log_in(page, "ta_inspector", DEMO_PASSWORD)
    page.get_by_role("link", name="登记案件").first.click()
    expect(page.get_by_test_id("open-drafts")).to_contain_text("您有 1 份未完成的登记草稿。")
    page.get_by_test_id("open-drafts").get_by_role("link").click()
    drafts = page.get_by_test_id("drafts")
    expect(drafts).to_contain_text("群众举报某超市销售过期食品")
    expect(drafts).to_contain_text("反映的问题与主张条款")
    screenshot("intake-04-drafts")
    drafts.get_by_role("link", name="继续填写").click()
    expect(page).to_have_url(re.compile(r"/cases/drafts/\d+/allegation/$"))
    expect(page.get_by_label("反映的问题（执法过错指控）")).to_have_value(
        "执法人员未能发现过期食品，涉嫌未履行监督检查职责。"
    )
    expect(page.locator("input[name^='claims-'][value='6.4']")).to_be_checked()
    _next(page)

    # Step 4: a file over the limit is refused before anything is sent.
    expect(page.get_by_role("heading", name="第四步：证据材料")).to_be_visible()
    case = Case.objects.get()
    assert case.state == CaseState.DRAFT
    uploads = []
    page.on(
        "request",
        lambda request: (
            uploads.append(request)
            if request.method == "POST" and request.url.endswith("/evidence/")
            else None
        ),
    )
    too_large = tmp_path / "执法录像截图.pdf"
    too_large.write_bytes(PDF_BYTES + b"0" * (LIMIT + 1))
    page.get_by_label("证据文件").set_input_files(str(too_large))
    page.get_by_label("证据说明").fill("现场检查录像截图")
    page.get_by_role("button", name="上传").click()
    file_errors = page.locator("#id_file_errors")
    expect(file_errors).to_be_visible()
    expect(file_errors).to_contain_text("文件过大")
    expect(file_errors).to_contain_text("文件过大（64.04 KB），单个证据文件不能超过 64.0 KB。")
    expect(page.get_by_label("证据文件")).to_have_attribute("aria-invalid", "true")
    screenshot("intake-05-too-large")
    not_accepted = tmp_path / "说明.txt"
    not_accepted.write_text("纯文本说明", encoding="utf-8")
    page.get_by_label("证据文件").set_input_files(str(not_accepted))
    page.get_by_role("button", name="上传").click()
    expect(file_errors).to_contain_text(
        cases_errors.FILE_TYPE_NOT_ACCEPTED % {"types": "PDF、JPEG、PNG、Word、Excel、MP4、MP3"}
    )
    assert uploads == []
    assert not Evidence.objects.exists()

    # A good file goes up with its progress shown, to 100%.
    good = tmp_path / "检查记录.pdf"
    good.write_bytes(PDF_BYTES + b"%" * 40_000)
    page.get_by_label("证据文件").set_input_files(str(good))
    expect(file_errors).to_be_hidden()
    page.get_by_label("证据说明").fill("2026年度检查计划及检查记录")
    page.get_by_role("button", name="上传").click()
    progress = page.get_by_test_id("upload-progress")
    expect(progress).to_have_attribute("aria-valuenow", "100")
    expect(progress).to_contain_text("100%")
    expect(page.get_by_test_id("upload-status")).to_contain_text("已上传证据：检查记录.pdf")
    expect(page.get_by_test_id("evidence-list")).to_contain_text("检查记录.pdf")
    screenshot("intake-06-uploaded")
    assert len(uploads) == 1
    assert Evidence.objects.get().case == case
    _next(page)

    # Step 5: everything on one page, with a way back to each step; submit.
    expect(page).to_have_url(re.compile(r"/cases/drafts/\d+/review/$"))
    for text in ("泰安市泰山区", "张执法（承办人）", "6.4", "检查记录.pdf", "投诉举报"):
        expect(page.locator("main")).to_contain_text(text)
    expect(page.get_by_role("link", name=re.compile("^修改"))).to_have_count(4)
    screenshot("intake-07-review")
    page.get_by_role("button", name="提交并登记立案").click()

    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    expect(page.get_by_test_id("case-state")).to_have_text("已登记")
    case.refresh_from_db()
    expect(page.get_by_role("alert").filter(has_text=case.number)).to_be_visible()
    screenshot("intake-08-registered")
    assert Case.objects.count() == 1
    assert case.state == CaseState.REGISTERED
    assert list(case.clause_claims.values_list("clause_ref", flat=True)) == ["6.4"]
    assert not IntakeDraft.objects.exists()
