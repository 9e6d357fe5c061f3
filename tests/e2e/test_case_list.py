"""The case list filtered and sorted, and my tasks, in Chromium: what a
leader and an inspector see, saved as screenshots."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, seed_demo_data
from accounts.models import Officer, Unit, User
from cases.models import Case, SubjectOfficer
from cases.workflow import CaseState
from tests.e2e.conftest import log_in, save_on_failure
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db(transaction=True)

DAY = datetime.timedelta(days=1)
STATES = [
    CaseState.DRAFT,
    CaseState.REGISTERED,
    CaseState.INVESTIGATING,
    CaseState.INVESTIGATING,
    CaseState.DELIBERATION,
    CaseState.DECIDED,
    CaseState.CLOSED,
]


@pytest.fixture
def demo_cases():
    """Thirty cases of the two Tai'an bureaus, registered by each bureau's
    inspector, in every stage, some overdue."""
    seed_demo_data()
    inspectors = {
        user.units.get().pk: user
        for user in User.objects.filter(username__in=["ta_inspector", "ts_inspector"])
    }
    units = list(Unit.objects.filter(name__in=["泰安市市场监督管理局", "泰山区市场监督管理局"]))
    now = timezone.now()
    cases = []
    for i in range(30):
        unit = units[i % 2]
        state = STATES[i % len(STATES)]
        case = CaseFactory(
            unit=unit,
            year=2026,
            sequence=i + 1,
            number=f"{unit.abbreviation}〔2026〕{i + 1}号",
            field=("food", "drugs", "pricing")[i % 3],
            state=state,
            created_by=inspectors[unit.pk],
            deadline_at=None if state == CaseState.CLOSED else now + (i - 6) * DAY,
        )
        for officer in Officer.objects.filter(unit=unit)[: 1 + i % 2]:
            SubjectOfficer.objects.create(case=case, officer=officer, part="handler")
        cases.append(case)
    return cases


def test_a_leader_filters_and_sorts_the_case_list(page, request, demo_cases, screenshot):
    log_in(page, "ta_leader", DEMO_PASSWORD)
    page.get_by_role("link", name="案件", exact=True).click()
    expect(page.get_by_test_id("case-count")).to_contain_text("共 30 件案件")
    page.get_by_label("阶段", exact=True).select_option("investigating")
    page.get_by_label("本阶段期限", exact=True).select_option("overdue")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"state=investigating"))
    overdue = Case.objects.filter(
        state=CaseState.INVESTIGATING, deadline_at__lt=timezone.now()
    ).count()
    expect(page.get_by_test_id("case-count")).to_contain_text(f"共 {overdue} 件案件")
    page.get_by_test_id("sort-deadline").click()
    expect(page.locator('th[aria-sort="ascending"]')).to_contain_text("本阶段期限")
    expect(page.get_by_label("阶段", exact=True)).to_have_value("investigating")
    screenshot("case-list-filtered")
    page.goto("/cases/?state=nonsense")
    expect(page.get_by_test_id("filter-errors")).to_contain_text("阶段")
    screenshot("case-list-invalid-filter")
    save_on_failure(request, [page])


def test_an_inspector_sees_their_tasks_overdue_first(page, request, demo_cases, screenshot):
    log_in(page, "ta_inspector", DEMO_PASSWORD)
    count = page.get_by_test_id("task-count")
    expect(count).to_be_visible()
    page.get_by_test_id("nav-tasks").click()
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()
    rows = page.get_by_test_id("task-list").locator("tbody tr")
    expect(rows.first.get_by_test_id("overdue")).to_be_visible()
    expect(count).to_contain_text(str(rows.count()))
    screenshot("my-tasks")
    rows.first.get_by_role("link").last.click()
    expect(page.get_by_test_id("my-step")).to_be_visible()
    screenshot("case-detail-next-step")
    save_on_failure(request, [page])
