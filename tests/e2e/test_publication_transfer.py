"""Publication and transfer in Chromium: the inspector publishes a Tai'an
decision to the public from the case page, the public page shows the redacted
notice to a visitor who is not logged in, the notice is withdrawn and leaves
it; a Lianyungang officer's matter is transferred to the organs with its
letter, their sanction recorded, and the written opinion on the officer's
duties given. The pages and the PDFs (as images) are saved as screenshots."""

import subprocess
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case
from cases.workflow import CaseState
from filing.models import DisciplineTransfer, DutyOpinion, OrganSanction, Publication
from tests.e2e.conftest import SCREENSHOTS, log_in, save_on_failure
from tests.factories import TEST_PASSWORD
from tests.flows import taian_case_at
from tests.reviews.test_transfer import transferred

pytestmark = pytest.mark.django_db(transaction=True)


def pdf_as_images(content: bytes, name: str) -> list[Path]:
    """Save the PDF beside the screenshots and its pages as PNG images."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SCREENSHOTS.parent / f"{name}.pdf"
    pdf.write_bytes(content)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(SCREENSHOTS / name)], check=True)
    images = sorted(SCREENSHOTS.glob(f"{name}-*.png"))
    assert images, name
    return images


@pytest.fixture
def visitor(browser, live_server, request):
    """A browser session that never logs in."""
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    save_on_failure(request, [page])
    context.close()


def test_publish_to_the_public_read_it_logged_out_and_withdraw(page, visitor, screenshot):
    flow = taian_case_at(CaseState.FILED)
    case = flow.case
    log_in(page, flow.staff.inspector.username, TEST_PASSWORD)
    page.goto(f"/cases/{case.pk}/")
    expect(page.get_by_test_id("publication-form")).to_be_visible()
    page.get_by_label("公开范围").select_option("public")
    screenshot("publication-01-case-filed")
    page.get_by_role("button", name="公开决定").click()
    expect(page.get_by_role("alert").filter(has_text="案件已进入")).to_contain_text(
        "不予追究责任的决定已向社会公开"
    )
    expect(page.get_by_test_id("case-state")).to_have_text("已公开")
    expect(page.get_by_test_id("publication-public")).to_contain_text("公开中")
    expect(page.get_by_role("button", name="增加公开范围")).to_be_visible()
    screenshot("publication-02-published")
    publication = Publication.objects.get()

    # A visitor, not logged in: the list, the notice, its PDF — all redacted.
    visitor.goto("/public/")
    expect(visitor.get_by_test_id("current-user")).to_have_count(0)
    expect(visitor.get_by_test_id("public-notices")).to_contain_text(case.number)
    visitor.screenshot(path=str(SCREENSHOTS / "publication-03-public-list.png"), full_page=True)
    visitor.get_by_role("link", name=publication.public_notice["title"]).click()
    notice = visitor.get_by_test_id("public-notice")
    expect(notice).to_contain_text("张某")
    expect(notice).to_contain_text("不予追究责任")
    expect(notice).not_to_contain_text("张执法")
    visitor.screenshot(path=str(SCREENSHOTS / "publication-04-public-notice.png"), full_page=True)
    response = visitor.request.get(f"/public/{publication.pk}/pdf/")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf_as_images(response.body(), "publication-05-public-notice-pdf")

    # The inspector withdraws it: recorded on the case page, gone publicly.
    page.get_by_label("撤回理由").fill("通知内容需更正后重新公开。")
    page.get_by_role("button", name="撤回公开").click()
    expect(page.get_by_test_id(f"withdrawn-{publication.pk}")).to_contain_text(
        "通知内容需更正后重新公开。"
    )
    expect(page.get_by_test_id("publication-public")).to_contain_text("已撤回")
    screenshot("publication-06-withdrawn")
    visitor.goto("/public/")
    expect(visitor.get_by_test_id("no-public-notices")).to_be_visible()
    visitor.screenshot(
        path=str(SCREENSHOTS / "publication-07-public-after-withdrawal.png"), full_page=True
    )
    assert visitor.request.get(f"/public/{publication.pk}/").status == 404


def test_a_transfer_with_its_letter_the_sanction_and_the_duty_opinion(page, screenshot):
    flow = transferred()
    Case.objects.filter(pk=flow.case.pk).update(organs_intervened=True)
    case = flow.case
    today = timezone.localdate().isoformat()
    log_in(page, flow.staff.inspector.username, TEST_PASSWORD)
    page.goto(f"/cases/{case.pk}/")
    expect(page.get_by_test_id(f"transferred-{flow.officer.pk}")).to_contain_text(
        "认定移送纪检监察机关"
    )
    screenshot("transfer-01-case-decided")
    page.get_by_role("link", name="移送、处分情况与书面意见").click()

    form = page.get_by_test_id(f"transfer-form-{flow.officer.pk}")
    expect(form.get_by_label("纪检监察机关")).to_have_value(str(case.unit.discipline_body_id))
    form.get_by_label("移送说明").fill("随函移送案卷材料一套，请依规处理。")
    form.get_by_role("button", name="办理移送并生成移送函").click()
    expect(page.get_by_role("alert")).to_contain_text("已将张执法的问题线索移送")
    expect(page.get_by_test_id("transfer-organ")).to_have_text(case.unit.discipline_body.name)
    letter_link = page.get_by_test_id("transfer-letter")
    expect(letter_link).to_be_visible()
    screenshot("transfer-02-recorded")
    letter = page.request.get(letter_link.get_attribute("href"))
    assert letter.ok and letter.headers["content-type"] == "application/pdf"
    pdf_as_images(letter.body(), "transfer-03-letter-pdf")
    # The letter and the case file, as one ZIP with its manifest.
    with page.expect_download() as download_info:
        page.get_by_test_id("transfer-case-file").click()
    download = download_info.value
    assert download.suggested_filename.endswith("移送案卷.zip")
    names = zipfile.ZipFile(download.path()).namelist()
    assert names[0] == "01-移送函.pdf"
    assert {"05-集体研究纪要.pdf", "case.json", "manifest.json"} <= set(names)

    page.get_by_label("处分日期").fill(today)
    page.get_by_label("处分或处理内容").fill("政务警告")
    page.get_by_label("处分决定文号").fill("连纪〔2026〕12号")
    page.get_by_role("button", name="记录处分情况").click()
    expect(page.get_by_test_id("organ-sanction")).to_contain_text("政务警告")
    expect(page.get_by_text("本局不再给予处分或者处理措施")).to_be_visible()
    screenshot("transfer-04-sanction")

    opinion = page.get_by_test_id("duty-opinion-form")
    opinion.get_by_label("或填写其他机关名称").fill("连云港市纪委监委第三审查调查室")
    opinion.get_by_label("签发人").select_option(label=flow.staff.chair.get_full_name())
    opinion.get_by_label("张执法：依法履职情况").select_option("not_performed")
    opinion.get_by_label("张执法：是否存在执法过错").select_option("fault")
    opinion.get_by_label("张执法：理由").fill("检查中收受当事人财物，未依法履行监督检查职责。")
    opinion.get_by_role("button", name="出具书面意见并生成文书").click()
    expect(page.get_by_role("alert")).to_contain_text("已出具依法履职情况书面意见")
    opinion_link = page.get_by_test_id("duty-opinion-pdf")
    expect(opinion_link).to_be_visible()
    screenshot("transfer-05-duty-opinion")
    document = page.request.get(opinion_link.get_attribute("href"))
    assert document.ok
    pdf_as_images(document.body(), "transfer-06-duty-opinion-pdf")

    page.goto(f"/cases/{case.pk}/")
    expect(page.locator("#organs")).to_contain_text("已作出处分：政务警告")
    screenshot("transfer-07-case-panel")
    assert DisciplineTransfer.objects.count() == OrganSanction.objects.count() == 1
    assert DutyOpinion.objects.get().items.get().fault == "fault"
