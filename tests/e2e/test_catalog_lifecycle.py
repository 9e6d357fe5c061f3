"""The catalogue life-cycle in Chromium (issue 19): one system administrator
uploads a revision of the Tai'an catalogue, sees the loader's refusal for a
broken file, then the diff and the golden-case report; a second
administrator approves it and it is in force."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from cases.workflow import CaseState
from exemptions.models import CatalogChange, RegulationVersion
from tests import flows
from tests.e2e.conftest import SCREENSHOTS, log_in
from tests.exemptions.test_lifecycle import taian_revision
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _session(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


def test_upload_review_and_activation(browser, live_server, tmp_path):
    flows.taian_case_at(CaseState.DECIDED)
    first = UserFactory(
        username="admin1", display_name="郑管理", roles=[Role.ADMINISTRATOR], is_staff=True
    )
    second = UserFactory(
        username="admin2", display_name="韩管理", roles=[Role.ADMINISTRATOR], is_staff=True
    )
    broken = tmp_path / "taian-2020.yaml"
    broken.write_bytes(b"slug: [unclosed\n")
    revision = tmp_path / "revision" / "taian-2020.yaml"
    revision.parent.mkdir()
    revision.write_bytes(taian_revision())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    context, page = _session(browser, live_server)
    log_in(page, first.username, TEST_PASSWORD)
    # The administrators' home is the admin; it links to the life-cycle pages.
    page.get_by_test_id("admin-catalog-changes").click()
    page.get_by_test_id("upload-catalog").click()
    page.get_by_label("目录文件（YAML）").set_input_files(str(broken))
    page.get_by_label("生效日期").fill("2026-01-01")
    page.get_by_label("修订说明").fill("依据修订文件")
    page.get_by_role("button", name="校验并提交审核").click()
    expect(page.get_by_test_id("catalog-problems")).to_contain_text("YAML 格式错误")
    assert not CatalogChange.objects.exists()

    page.get_by_label("目录文件（YAML）").set_input_files(str(revision))
    page.get_by_label("生效日期").fill("2026-01-01")
    page.get_by_label("修订说明").fill("依据修订文件")
    page.get_by_role("button", name="校验并提交审核").click()
    expect(page.get_by_test_id("change-status")).to_have_text("待审核")
    expect(page.get_by_test_id("clause-diff")).to_contain_text("已按规定的检查项目开展检查")
    expect(page.get_by_test_id("golden-report")).to_contain_text("不予追究责任")
    expect(page.get_by_test_id("review-form")).to_have_count(0)
    page.screenshot(path=str(SCREENSHOTS / "catalog-change-uploaded.png"), full_page=True)
    context.close()

    context, page = _session(browser, live_server)
    log_in(page, second.username, TEST_PASSWORD)
    page.goto(f"/catalogs/changes/{CatalogChange.objects.get().pk}/")
    page.get_by_label("审核意见").fill("同意")
    page.get_by_role("button", name="批准").click()
    expect(page.get_by_test_id("change-status")).to_have_text("已生效")
    page.screenshot(path=str(SCREENSHOTS / "catalog-change-active.png"), full_page=True)
    context.close()
    assert RegulationVersion.objects.get(regulation__slug="taian-2020", is_current=True).number == 2
