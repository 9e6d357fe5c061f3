"""A limited field counts its characters as one types; text pasted over the
limit is kept (not cut off silently), the counter says by how much it is
over, and the server refuses it in plain Chinese."""

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, seed_demo_data
from cases.models import IntakeDraft
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_limited_field_counts_and_text_over_the_limit_is_refused_plainly(page):
    seed_demo_data()
    log_in(page, "ta_inspector", DEMO_PASSWORD)
    page.goto("/cases/new/")
    summary = page.get_by_label("事件概要")
    counter = page.locator("#div_id_incident_summary").get_by_test_id("char-counter")
    expect(counter).to_have_text("已输入 0 / 4000 字")

    summary.fill("群众举报")
    expect(counter).to_have_text("已输入 4 / 4000 字")

    summary.fill("字" * 4100)  # as a paste would
    assert len(summary.input_value()) == 4100  # kept whole
    expect(counter).to_have_text("超出 100 字，最多 4000 字")
    expect(summary).to_have_attribute("aria-invalid", "true")

    page.get_by_label("发生地点").fill("泰安市泰山区")
    page.get_by_role("button", name="下一步").click()
    expect(page.locator("#div_id_incident_summary")).to_contain_text("最多 4000 字，现有 4100 字。")
    assert not IntakeDraft.objects.exists()  # nothing saved
