"""The overview page: who may see it and whose numbers, the filters, the
charts and their tables, and a fixed number of queries."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import Role
from cases.models import Case
from cases.workflow import CaseState
from overview import errors as overview_errors
from overview.figures import clause_label, count_text, days_text
from overview.selectors import ClauseUse
from tests import flows
from tests.factories import CaseFactory, UserFactory
from tests.overview.clock import SHANGHAI

pytestmark = pytest.mark.django_db

URL = reverse("overview:index")
SVG = "{http://www.w3.org/2000/svg}"


def overseer(unit, role=Role.LEADERSHIP_MEMBER, name="孙副局长"):
    return flows.person(unit, role, name)


def page(client, user, params=None, status=200) -> str:
    client.force_login(user)
    response = client.get(URL, params or {})
    assert response.status_code == status
    return response.content.decode()


def figure(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">([^<]*)<', html)
    assert match, testid
    return match.group(1)


def svg(html: str, chart_id: str) -> ET.Element:
    """The chart's inline SVG, parsed as XML (it must be well-formed)."""
    match = re.search(rf'<svg[^>]*data-testid="{chart_id}".*?</svg>', html, re.S)
    assert match, chart_id
    return ET.fromstring(match.group(0))  # noqa: S314 (our own page)


def bars(chart: ET.Element) -> list[ET.Element]:
    return [g for g in chart.iter(f"{SVG}g") if g.get("class") == "bar"]


def texts(chart: ET.Element, css: str) -> list[str]:
    return [t.text for t in chart.iter(f"{SVG}text") if t.get("class") == css]


# --- who may see it ---------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.INSPECTOR, Role.INVESTIGATOR, Role.EXPERT, Role.DISCIPLINE_LIAISON]
)
def test_it_is_refused_to_everyone_but_leadership_and_administrators(client, bureaus, role):
    page(client, flows.person(bureaus.city, role, "某人"), status=403)


def test_a_leader_without_a_unit_is_refused(client, bureaus):
    page(client, UserFactory(roles=[Role.LEADERSHIP_CHAIR]), status=403)


@pytest.mark.parametrize("role", [Role.LEADERSHIP_MEMBER, Role.LEADERSHIP_CHAIR])
def test_the_leadership_sees_it(client, bureaus, role):
    html = page(client, overseer(bureaus.city, role))
    assert '<h1 class="h3 mb-3">统计概览</h1>' in html


def test_the_navigation_links_to_it_only_for_those_who_may_see_it(client, bureaus):
    leader = overseer(bureaus.city)
    inspector = flows.person(bureaus.city, Role.INSPECTOR, "王承办")
    client.force_login(leader)
    assert 'data-testid="nav-overview"' in client.get(reverse("cases:list")).content.decode()
    client.force_login(inspector)
    assert 'data-testid="nav-overview"' not in client.get(reverse("cases:list")).content.decode()


@pytest.fixture
def spread(bureaus):
    """Cases per unit: city 3, district 2, Lianyungang 4."""
    CaseFactory.create_batch(3, unit=bureaus.city, state=CaseState.INVESTIGATING)
    CaseFactory.create_batch(2, unit=bureaus.district, state=CaseState.REGISTERED)
    CaseFactory.create_batch(4, unit=bureaus.other, state=CaseState.DELIBERATION)
    return bureaus


def test_a_leader_sees_the_numbers_of_their_unit_and_the_units_below(client, spread):
    html = page(client, overseer(spread.city))
    assert figure(html, "total-cases") == "5"
    assert "泰山区市场监督管理局" in html
    assert "连云港市市场监督管理局" not in html


def test_a_leader_of_a_sub_unit_does_not_see_the_unit_above(client, spread):
    html = page(client, overseer(spread.district))
    assert figure(html, "total-cases") == "2"
    assert "泰安市市场监督管理局" not in html


def test_a_leader_of_another_unit_sees_only_theirs(client, spread):
    html = page(client, overseer(spread.other, Role.LEADERSHIP_CHAIR))
    assert figure(html, "total-cases") == "4"
    assert "泰安市市场监督管理局" not in html


def test_a_superuser_administrator_is_refused(client, spread):
    # 三员分立: the superuser flag grants nothing, no administrator reads cases.
    admin = UserFactory(roles=[Role.ADMINISTRATOR], is_staff=True, is_superuser=True)
    page(client, admin, status=403)


def test_an_administrator_of_the_unit_is_refused(client, spread):
    page(client, overseer(spread.city, Role.ADMINISTRATOR, "郑管理"), status=403)


def test_losing_the_role_closes_the_page(client, spread):
    leader = overseer(spread.city)
    page(client, leader)
    leader.groups.remove(Group.objects.get(name=Role.LEADERSHIP_MEMBER))
    page(client, leader, status=403)


# --- filters ----------------------------------------------------------------------


def test_the_unit_filter_narrows_to_a_unit_and_its_sub_units(client, spread):
    leader = overseer(spread.city)
    assert figure(page(client, leader, {"unit": spread.district.pk}), "total-cases") == "2"
    assert figure(page(client, leader, {"unit": spread.city.pk}), "total-cases") == "5"


def test_the_unit_filter_offers_only_the_units_overseen(client, spread):
    html = page(client, overseer(spread.district))
    options = re.findall(r'<option value="(\d*)"', html)
    assert options == ["", str(spread.district.pk)]


def test_a_unit_not_overseen_is_refused_with_a_message_and_no_numbers(client, spread):
    html = page(client, overseer(spread.city), {"unit": spread.other.pk}, status=400)
    assert str(overview_errors.UNIT_NOT_VISIBLE) in html
    assert 'data-testid="filter-error"' in html
    assert 'data-testid="total-cases"' not in html


def test_an_unknown_unit_is_refused_with_a_message(client, spread):
    html = page(client, overseer(spread.city), {"unit": "abc"}, status=400)
    assert str(overview_errors.UNIT_NOT_VISIBLE) in html


def test_a_period_ending_before_it_starts_is_refused(client, spread):
    params = {"date_from": "2026-05-01", "date_to": "2026-04-30"}
    html = page(client, overseer(spread.city), params, status=400)
    assert str(overview_errors.DATE_ORDER) in html
    # The filters stay filled in for correction.
    assert 'value="2026-05-01"' in html


def test_a_malformed_date_is_refused_with_the_expected_format(client, spread):
    html = page(client, overseer(spread.city), {"date_from": "2026-13-40"}, status=400)
    assert str(overview_errors.DATE_FROM_INVALID) in html
    assert 'class="form-control is-invalid"' in html or "is-invalid" in html


def test_a_date_far_outside_the_regulations_years_is_refused(client, spread):
    html = page(client, overseer(spread.city), {"date_to": "1900-01-01"}, status=400)
    assert str(overview_errors.DATE_OUT_OF_RANGE) in html


def test_the_period_counts_cases_created_within_it(client, bureaus):
    for day in (datetime.date(2026, 1, 15), datetime.date(2026, 2, 10), datetime.date(2026, 3, 1)):
        case = CaseFactory(unit=bureaus.city)
        created = datetime.datetime.combine(day, datetime.time(23, 50), tzinfo=SHANGHAI)
        Case.objects.filter(pk=case.pk).update(created_at=created)
    leader = overseer(bureaus.city)
    assert figure(page(client, leader), "total-cases") == "3"
    february = {"date_from": "2026-02-01", "date_to": "2026-02-28"}
    assert figure(page(client, leader, february), "total-cases") == "1"
    # The end date is included whole (a case at 23:50 local time on it counts).
    to_feb_10 = {"date_from": "2026-01-15", "date_to": "2026-02-10"}
    assert figure(page(client, leader, to_feb_10), "total-cases") == "2"
    assert figure(page(client, leader, {"date_from": "2026-03-02"}), "total-cases") == "0"


# --- the charts and their tables --------------------------------------------------


def test_every_chart_has_its_bars_labels_and_table(client, decided):
    html = page(client, overseer(decided.bureaus.city))
    assert figure(html, "total-cases") == "3"  # T2, T1, P (Lianyungang is not theirs)

    stage = svg(html, "chart-stage")
    assert stage.get("role") == "img"
    assert stage.get("aria-labelledby") == "chart-stage-title chart-stage-desc"
    assert stage.find(f"{SVG}title").text == "各阶段案件数"
    assert len(bars(stage)) == len(CaseState)
    assert texts(stage, "chart-label") == [str(s.label) for s in CaseState]
    by_label = dict(zip(texts(stage, "chart-label"), texts(stage, "bar-value"), strict=True))
    assert by_label["已作出决定"] == "2"
    assert by_label["调查核实"] == "1"
    assert by_label["草稿"] == "0"

    outcome = svg(html, "chart-outcome")
    assert len(bars(outcome)) == 6
    outcome_values = dict(
        zip(texts(outcome, "chart-label"), texts(outcome, "bar-value"), strict=True)
    )
    assert outcome_values["不予追究责任"] == "3"
    assert outcome_values["尚未作出认定"] == "1"

    unit = svg(html, "chart-unit")
    assert texts(unit, "chart-label") == ["泰安市市场监督管理局"]
    assert texts(unit, "bar-value") == ["3"]

    clauses = svg(html, "chart-clauses")
    assert texts(clauses, "chart-label") == ["泰安市 第六条第（四）项", "泰安市 第六条第（一）项"]
    assert texts(clauses, "bar-value") == [
        "决定援引 3 次",
        "主张 4 次",
        "决定援引 1 次",
        "主张 0 次",
    ]

    times = svg(html, "chart-times")
    assert len(texts(times, "chart-label")) == 8  # every stage but closed and withdrawn
    assert any(t.startswith("平均 ") for t in texts(times, "bar-value"))
    assert any(t.startswith("中位数 ") for t in texts(times, "bar-value"))
    assert "暂无已结束的停留" in texts(times, "bar-value")  # nothing has left "decided"

    overdue = svg(html, "chart-overdue")
    assert len(bars(overdue)) == 16  # open and overdue, for 8 stages

    for table in ("stage", "outcome", "unit", "clauses", "times", "overdue"):
        assert re.search(rf'<table class="table[^"]*" data-testid="table-{table}">', html)
    # The table behind the clause chart has every count.
    row = re.search(r"泰安市 第六条第（四）项</a></th>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r'<td class="text-end">(\d+)</td>', row) == ["4", "3", "3"]


def test_a_scope_without_cases_says_so_instead_of_empty_charts(client, bureaus):
    html = page(client, overseer(bureaus.city))
    assert 'data-testid="chart-unit-empty"' in html
    assert 'data-testid="chart-clauses-empty"' in html
    assert figure(html, "total-cases") == "0"


def test_overdue_cases_are_listed_with_their_deadline_in_the_locale(client, bureaus):
    case = CaseFactory(unit=bureaus.city, state=CaseState.INVESTIGATING)
    deadline = datetime.datetime(2026, 3, 7, 9, 0, tzinfo=SHANGHAI)
    Case.objects.filter(pk=case.pk).update(deadline_at=deadline)
    leader = overseer(bureaus.city)
    html = page(client, leader)
    assert figure(html, "overdue-cases") == "1"
    assert case.number in html
    assert "2026年3月7日" in html
    days = (timezone.now() - deadline).days
    assert f'<td class="text-end">{count_text(days)} 日</td>' in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(URL).content.decode()
    assert 'lang="en"' in english
    assert "March 7, 2026" in english


def test_numbers_follow_the_locale():
    # Django's Chinese formats group without a separator; English uses commas.
    with translation.override("zh-hans"):
        assert count_text(12345) == "12345"
        assert days_text(1234.56) == "1234.6"
    with translation.override("en"):
        assert count_text(12345) == "12,345"
        assert days_text(1234.56) == "1,234.6"


# --- a fixed number of queries ----------------------------------------------------


def queries_for(client, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [{}, "unit"], ids=["all-units", "one-unit"])
def test_the_page_runs_the_same_queries_for_few_and_many_cases(
    client, bureaus, params, django_assert_num_queries
):
    staff = flows.staff_for(bureaus.city)
    flows.taian_case_at(CaseState.REGISTERED, staff=staff)
    client.force_login(overseer(bureaus.city))
    params = {"unit": bureaus.city.pk, "date_from": "2020-01-01"} if params == "unit" else params
    few = queries_for(client, params)

    flows.taian_case_at(CaseState.DECIDED, staff=staff, officers=2)
    flows.taian_case_at(CaseState.EXPERT_REVIEW, staff=staff)
    flows.taian_case_at(CaseState.CLOSED, unit=bureaus.district, disputed=False)
    overdue = datetime.datetime(2026, 1, 1, tzinfo=SHANGHAI)
    CaseFactory.create_batch(
        30, unit=bureaus.district, state=CaseState.INVESTIGATING, deadline_at=overdue
    )
    with django_assert_num_queries(few):
        response = client.get(URL, params)
    html = response.content.decode()
    assert figure(html, "total-cases") == "34"
    assert figure(html, "overdue-cases") == count_text(30)


def test_stage_times_read_in_days_on_the_chart_and_in_the_table(client, bureaus, timed):
    html = page(client, overseer(bureaus.other))
    times = svg(html, "chart-times")
    labels = texts(times, "chart-label")
    values = texts(times, "bar-value")
    assert labels[:3] == ["草稿", "已登记", "调查核实"]
    # Two bars (mean, median) per stage with stays, one "none yet" otherwise.
    assert values[:6] == [
        "平均 3.0 日",
        "中位数 2.5 日",
        "平均 2.2 日",
        "中位数 2.0 日",
        "平均 10.0 日",
        "中位数 10.0 日",
    ]
    assert len(bars(times)) == 3 * 2 + 5
    row = re.search(
        r'<th scope="row" class="fw-normal">已登记</th>(.*?)</tr>',
        html.split('data-testid="table-times"')[1],
        re.S,
    ).group(1)
    assert re.findall(r'<td class="text-end">([^<]+)</td>', row) == ["3", "2.2", "2.0"]


def test_a_principle_keeps_its_ref_in_its_label():
    def use(ref):
        return ClauseUse("taian-2020", "泰安市", ref, "", "", 0, 0, 0)

    assert clause_label(use("6.12")) == "泰安市 第六条第（十二）项"
    assert clause_label(use("4:level")) == "泰安市 第四条（4:level）"
