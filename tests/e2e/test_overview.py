"""The leadership's overview in Chromium: cases of the demo bureaus at every
stage, built on a clock so the stage times vary, read by the Tai'an chair in
Chinese and in English, with screenshots to look at."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, seed_demo_data
from accounts.models import Unit
from cases.models import StageDeadline
from cases.services.intake import case_claims_set
from cases.workflow import CaseState
from deliberation.services import vote_close
from overview import errors as overview_errors
from tests import flows
from tests.e2e.conftest import log_in, save_on_failure
from tests.overview.clock import SHANGHAI, Clock

pytestmark = pytest.mark.django_db(transaction=True)

# The first case is opened then, the next ones 12 days apart.
START = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI)
# Tests that flush the database lose the default stage time limits.
STAGE_DAYS = {
    "registered": 10,
    "investigating": 60,
    "expert_review": 30,
    "deliberation": 30,
    "decided": 15,
}


def _decide(flow, **proposal) -> None:
    # The figures need outcomes that differ from their precedents on purpose.
    proposal.setdefault("precedent_departure_reason", "统计测试：有意与先例不同。")
    flows.deliberation_facts(flow)
    flows.convene(flow)
    for subject_officer in flow.subject_officers:
        flows.vote_all(flow, flows.propose(flow, subject_officer, **proposal))
    vote_close(actor=flow.staff.chair, meeting=flow.meeting)
    flow.reload()


def _walk(flow, clock, days, **proposal) -> None:
    """Take a Tai'an case through its stages, `days[i]` after the previous
    move (a disputed case goes through expert review)."""
    inspector = flow.staff.inspector
    steps = [
        flows.register,
        flows.start_investigation,
        flows.finish_investigation,
    ]
    if flow.case.disputed:
        steps += [
            flows.request_expert_review,
            lambda f: (flows.form_panel(f), flows.give_opinions(f), flows.conclude_panel(f)),
        ]
    steps += [
        flows.submit,
        lambda f: _decide(f, **proposal),
        lambda f: flows.move(f, "file", inspector),
        lambda f: flows.move(f, "publish", inspector),
        lambda f: flows.move(f, "close", inspector),
    ]
    for wait, step in zip(days, steps, strict=False):
        clock.advance(days=wait)
        step(flow)


def _build(monkeypatch) -> None:
    """Eleven cases of the Tai'an bureau and its district bureau since March
    2026, plus a Lianyungang case the chair must not see."""
    clock = Clock(START)
    monkeypatch.setattr(timezone, "now", clock)
    city = Unit.objects.get(name="泰安市市场监督管理局")
    district = Unit.objects.get(name="泰山区市场监督管理局")
    city_staff, district_staff = flows.staff_for(city), flows.staff_for(district)
    for state, days in STAGE_DAYS.items():
        StageDeadline.objects.get_or_create(unit=None, state=state, defaults={"days": days})
    liable = {
        "outcome": "liable",
        "cited_clauses": [],
        "sanction": "通报批评",
        "reasons": "未按检查计划履行监督检查职责。",
        "departure_reason": "调查查明检查记录系事后补写，不符合第六条第（四）项。",
    }
    both = {"cited_clauses": ["6.4", "4:causation"], "departure_reason": "两项共同适用。"}
    plans = [
        # staff, disputed, days between the moves, proposal, clauses claimed
        (city_staff, True, [2, 3, 20, 1, 12, 5, 3, 2, 4, 6], {}, ["6.4"]),
        (city_staff, True, [1, 2, 35, 2, 18, 9, 5, 3, 2, 5], {}, ["6.4", "6.1"]),
        (city_staff, False, [3, 1, 28, 6, 4, 2, 7, 3], both, ["6.4", "4:causation"]),
        (city_staff, False, [1, 4, 41, 3, 6], liable, ["6.4", "6.2"]),
        (city_staff, True, [2, 2, 15, 1, 10, 3], {}, ["6.4", "6.10"]),
        (city_staff, False, [4, 2, 22, 4], {}, ["6.4"]),
        (city_staff, False, [1, 3], {}, ["6.1"]),
        (city_staff, False, [2], {}, ["6.4"]),
        (district_staff, False, [1, 2, 30, 2, 5, 4, 2, 2], {}, ["6.4", "6.10"]),
        (district_staff, False, [5, 1], {}, ["6.4"]),
        (district_staff, True, [3], {}, ["6.2"]),
    ]
    for index, (staff, disputed, days, proposal, claimed) in enumerate(plans):
        clock.set(START + datetime.timedelta(days=12 * index))
        flow = flows.new_case(flows.TAIAN, staff=staff, disputed=disputed)
        case_claims_set(
            actor=staff.inspector,
            case=flow.case,
            subject_officer=flow.officer,
            clause_refs=claimed,
        )
        _walk(flow, clock, days, **proposal)
    flows.lianyungang_case_at(
        CaseState.DECIDED, unit=Unit.objects.get(name="连云港市市场监督管理局")
    )
    monkeypatch.undo()


def test_the_chair_reads_the_overview_in_chinese_and_english(
    browser, live_server, request, monkeypatch, screenshot_dir
):
    seed_demo_data()
    _build(monkeypatch)
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        log_in(page, "ta_chair", DEMO_PASSWORD)
        page.get_by_test_id("nav-overview").click()
        expect(page).to_have_url(re.compile(r"/overview/$"))
        expect(page.get_by_role("heading", name="统计概览", level=1)).to_be_visible()
        expect(page.get_by_test_id("total-cases")).to_have_text("11")
        # Every chart is an image with its name, and its numbers are written on it.
        for name in (
            "各阶段案件数",
            "各单位案件数",
            "条款适用情况",
            "各阶段用时（日）",
            "超期案件",
        ):
            expect(page.get_by_role("img", name=name)).to_be_visible()
        units = page.get_by_test_id("chart-unit")
        expect(units.locator("text.chart-label")).to_have_text(
            ["泰安市市场监督管理局", "泰山区市场监督管理局"]
        )
        expect(units.locator("text.bar-value")).to_have_text(["8", "3"])
        expect(page.get_by_test_id("chart-outcome").locator("text.bar-value")).to_have_text(
            ["4", "0", "0", "1", "0", "6"]
        )
        expect(page.get_by_test_id("overdue-cases")).to_have_text("7")
        expect(page.get_by_test_id("chart-clauses").locator("text.chart-label")).to_have_count(5)
        expect(page.get_by_text("连云港市市场监督管理局")).to_have_count(0)
        page.screenshot(path=str(screenshot_dir / "overview-zh.png"), full_page=True)

        # The district only, from the unit filter.
        page.get_by_label("单位（含下级单位）").select_option(label="泰山区市场监督管理局")
        page.get_by_role("button", name="查询").click()
        expect(page.get_by_test_id("total-cases")).to_have_text("3")

        # A period that ends before it starts is refused with a message.
        page.get_by_label("开始日期").fill("2026-06-01")
        page.get_by_label("结束日期").fill("2026-05-01")
        page.get_by_role("button", name="查询").click()
        expect(page.get_by_text(str(overview_errors.DATE_ORDER))).to_be_visible()
        expect(page.get_by_test_id("total-cases")).to_have_count(0)
        page.screenshot(path=str(screenshot_dir / "overview-filter-error-zh.png"))

        page.get_by_role("link", name="清除").click()
        page.locator("#language-switch").select_option("en")
        page.get_by_test_id("language-submit").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_test_id("total-cases")).to_have_text("11")
        page.screenshot(path=str(screenshot_dir / "overview-en.png"), full_page=True)
    finally:
        save_on_failure(request, [page])
        context.close()
