"""Stage limits in working days on China's official calendar (issue 15): the
days pinned from the State Council's 2026 arrangement (国务院办公厅关于2026年
部分节假日安排的通知) as the holidays library gives them, deadlines computed
across the Spring Festival and National Day, the administrator's overrides,
the "N 个工作日" on the pages, and the check that warns of a year not covered."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import checks
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent, AuditEventType
from cases.calendar_checks import calendar_coverage_warnings
from cases.models import CalendarOverride, Case, Notification, StageDeadline
from cases.services.deadlines import case_deadline_set, deadlines_scan
from cases.services.working_calendar import deadline_after, open_deadlines_recompute
from cases.workflow import STAGES, CaseState, DayKind
from cases.working_days import (
    WorkingCalendar,
    add_working_days,
    is_working_day,
    library_covered_years,
    working_days_between,
)
from tests import flows

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = datetime.date


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


# --- the 2026 official calendar -----------------------------------------------------------

SPRING_FESTIVAL_2026_OFF = [D(2026, 2, day) for day in range(15, 24)]  # 2月15日至23日
NATIONAL_DAY_2026_OFF = [D(2026, 10, day) for day in range(1, 8)]  # 10月1日至7日
# The weekends worked in exchange (调休上班).
WORKING_WEEKENDS_2026 = [
    D(2026, 1, 4),  # 元旦: Sunday
    D(2026, 2, 14),  # 春节: Saturday before
    D(2026, 2, 28),  # 春节: Saturday after
    D(2026, 5, 9),  # 劳动节: Saturday
    D(2026, 9, 20),  # 国庆节: Sunday before
    D(2026, 10, 10),  # 国庆节: Saturday after
]


@pytest.mark.parametrize("day", SPRING_FESTIVAL_2026_OFF, ids=str)
def test_the_2026_spring_festival_is_nine_days_off(day):
    assert not is_working_day(day)


@pytest.mark.parametrize("day", NATIONAL_DAY_2026_OFF, ids=str)
def test_the_2026_national_day_holiday_is_seven_days_off(day):
    assert not is_working_day(day)


@pytest.mark.parametrize("day", WORKING_WEEKENDS_2026, ids=str)
def test_the_2026_tiaoxiu_weekends_are_working_days(day):
    assert day.weekday() >= 5
    assert is_working_day(day)


def test_around_the_holidays_days_are_as_usual():
    assert is_working_day(D(2026, 2, 13))  # Friday before the Spring Festival
    assert is_working_day(D(2026, 2, 24))  # Tuesday after
    assert not is_working_day(D(2026, 3, 1))  # an ordinary Sunday
    assert not is_working_day(D(2026, 10, 11))  # the Sunday after the 10th
    assert is_working_day(D(2026, 10, 8))  # Thursday after National Day
    assert not is_working_day(D(2026, 1, 2))  # New Year: Friday off
    assert 2026 in library_covered_years()


def test_working_days_are_counted_across_the_spring_festival():
    friday = D(2026, 2, 13)
    assert add_working_days(friday, 0) == friday
    assert add_working_days(friday, 1) == D(2026, 2, 14)  # the Saturday worked
    assert add_working_days(friday, 2) == D(2026, 2, 24)  # nine days off in between
    # 2/14, 2/24-2/28 (Saturday worked), 3/2-3/5: the 10th is Thursday 5 March.
    assert add_working_days(friday, 10) == D(2026, 3, 5)
    assert add_working_days(D(2026, 2, 24), -1) == D(2026, 2, 14)
    assert working_days_between(friday, D(2026, 2, 24)) == 2
    assert working_days_between(D(2026, 2, 24), friday) == -2
    assert working_days_between(friday, friday) == 0


def test_working_days_are_counted_across_national_day():
    assert add_working_days(D(2026, 9, 18), 1) == D(2026, 9, 20)  # Sunday worked
    # From Wednesday 30 September: 8, 9, then Saturday 10 October.
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert add_working_days(D(2026, 9, 30), 4) == D(2026, 10, 12)
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 12)) == 4


def test_an_override_wins_over_the_library():
    calendar = WorkingCalendar({D(2026, 3, 4): False, D(2026, 3, 7): True})
    assert not calendar.is_working_day(D(2026, 3, 4))  # a Wednesday declared off
    assert calendar.is_working_day(D(2026, 3, 7))  # a Saturday declared worked
    # Monday 2 March + 3: 3, (4 off), 5, 6.
    assert calendar.add_working_days(D(2026, 3, 2), 3) == D(2026, 3, 6)
    assert calendar.add_working_days(D(2026, 3, 2), 4) == D(2026, 3, 7)
    assert 2099 in WorkingCalendar({D(2099, 1, 3): True}).covered_years()


# --- stage deadlines ----------------------------------------------------------------------


def test_every_stage_limit_of_the_table_is_in_working_days():
    assert {rule.day_kind for rule in STAGES.values()} == {DayKind.WORKING}


@pytest.mark.django_db
def test_the_installed_default_limits_are_in_working_days():
    defaults = StageDeadline.objects.filter(unit=None)
    assert defaults.exists()
    assert set(defaults.values_list("day_kind", flat=True)) == {DayKind.WORKING}


@pytest.mark.django_db
def test_the_migration_keeps_a_units_own_limits_in_calendar_days(unit):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("cases.migrations.0008_working_day_deadlines")
    own = StageDeadline.objects.create(unit=unit, state=CaseState.REGISTERED, days=7)
    migration.keep_units_own_limits_in_calendar_days(apps, None)
    own.refresh_from_db()
    assert own.day_kind == DayKind.CALENDAR
    assert set(StageDeadline.objects.filter(unit=None).values_list("day_kind", flat=True)) == {
        DayKind.WORKING
    }


@pytest.mark.django_db
def test_a_working_day_deadline_keeps_the_time_of_day():
    assert deadline_after(at(2026, 2, 13, 10, 30), 10, DayKind.WORKING) == at(2026, 3, 5, 10, 30)
    assert deadline_after(at(2026, 2, 13, 10, 30), 10, DayKind.CALENDAR) == at(2026, 2, 23, 10, 30)


@pytest.mark.django_db
def test_a_case_registered_before_the_spring_festival_is_due_after_it(unit):
    flow = flows.taian_case_at(CaseState.REGISTERED, unit=unit)
    Case.objects.filter(pk=flow.case.pk).update(state_entered_at=at(2026, 2, 13, 10, 0))
    case = Case.objects.get(pk=flow.case.pk)
    case_deadline_set(case=case)  # the default: 10 working days
    assert Case.objects.get(pk=case.pk).deadline_at == at(2026, 3, 5, 10, 0)

    StageDeadline.objects.create(
        unit=unit, state=CaseState.REGISTERED, days=10, day_kind=DayKind.CALENDAR
    )
    case_deadline_set(case=case)
    assert Case.objects.get(pk=case.pk).deadline_at == at(2026, 2, 23, 10, 0)


@pytest.mark.django_db
def test_the_warning_is_counted_in_working_days_too(unit):
    flow = flows.taian_case_at(CaseState.REGISTERED, unit=unit)
    Case.objects.filter(pk=flow.case.pk).update(state_entered_at=at(2026, 2, 13, 10, 0))
    case_deadline_set(case=Case.objects.get(pk=flow.case.pk))  # due Thursday 5 March 10:00
    # Three working days before: Monday 2 March 10:00 (not 2 March by calendar days).
    assert deadlines_scan(now=at(2026, 3, 2, 9, 59)) == 0
    assert deadlines_scan(now=at(2026, 3, 2, 10, 0)) == 1
    assert flows.deadline_notices().get().kind == Notification.Kind.DUE_SOON
    assert deadlines_scan(now=at(2026, 3, 5, 10, 0)) == 1
    assert Notification.objects.filter(kind=Notification.Kind.OVERDUE).count() == 1


@pytest.mark.django_db
def test_a_new_override_moves_the_open_deadlines_counted_in_working_days(unit):
    flow = flows.taian_case_at(CaseState.REGISTERED, unit=unit)
    Case.objects.filter(pk=flow.case.pk).update(state_entered_at=at(2026, 2, 13, 10, 0))
    case_deadline_set(case=Case.objects.get(pk=flow.case.pk))
    CalendarOverride.objects.create(date=D(2026, 3, 4), is_working_day=False, note="测试")
    assert open_deadlines_recompute() == 1
    assert Case.objects.get(pk=flow.case.pk).deadline_at == at(2026, 3, 6, 10, 0)
    event = AuditEvent.objects.filter(case=flow.case).latest("sequence")
    assert event.event_type == AuditEventType.CASE_UPDATED
    assert open_deadlines_recompute() == 0  # nothing further to move


# --- "N 个工作日" ---------------------------------------------------------------------------


def render_left(deadline, now) -> str:
    template = Template("{% load case_tags %}{% working_days_left deadline %}")
    return template.render(Context({"deadline": deadline, "now": now}))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("now", "text"),
    [
        (at(2026, 2, 13, 9, 0), "剩余 2 个工作日"),  # Friday: the Saturday worked, then 24th
        (at(2026, 2, 18, 9, 0), "剩余 1 个工作日"),  # in the holiday
        (at(2026, 2, 24, 9, 0), "今日到期"),
        (at(2026, 2, 24, 11, 0), "今日已到期"),
        (at(2026, 2, 28, 9, 0), "已超期 4 个工作日"),  # 25, 26, 27 and Saturday 28
    ],
)
def test_the_pages_show_working_days_left_or_overdue(now, text):
    assert render_left(at(2026, 2, 24, 10, 0), now) == text


@pytest.mark.django_db
def test_a_deadline_passed_on_a_day_off_is_overdue_without_a_count():
    # Due Saturday 7 March (a calendar-day limit), seen on Sunday.
    assert render_left(at(2026, 3, 7, 10, 0), at(2026, 3, 8, 9, 0)) == "已超期"


@pytest.mark.django_db
def test_the_case_page_my_tasks_and_the_list_show_the_working_days(client, unit):
    flow = flows.taian_case_at(CaseState.REGISTERED, unit=unit)
    deadline = timezone.now() + datetime.timedelta(days=60)
    Case.objects.filter(pk=flow.case.pk).update(deadline_at=deadline)
    calendar = WorkingCalendar()
    left = calendar.working_days_between(timezone.localdate(), timezone.localtime(deadline).date())
    expected = f'data-testid="working-days">剩余 {left} 个工作日<'
    client.force_login(flow.staff.investigator)
    for url in (
        reverse("cases:detail", args=[flow.case.pk]),
        reverse("cases:tasks"),
        reverse("cases:list"),
    ):
        assert expected in client.get(url).content.decode(), url


# --- the system check ---------------------------------------------------------------------


def test_the_check_warns_of_this_year_and_the_next_when_not_covered():
    warnings = calendar_coverage_warnings(D(2099, 6, 1), set())
    assert [w.id for w in warnings] == ["cases.W010", "cases.W010"]
    assert all(isinstance(w, checks.Warning) for w in warnings)
    assert "2099" in warnings[0].msg and "2100" in warnings[1].msg
    assert "CalendarOverride" in warnings[0].hint


def test_overrides_entered_for_a_year_cover_it():
    [warning] = calendar_coverage_warnings(D(2099, 6, 1), {2099})
    assert "2100" in warning.msg
    assert calendar_coverage_warnings(D(2099, 6, 1), {2099, 2100}) == []


def test_a_year_the_library_knows_needs_no_override():
    assert not [w for w in calendar_coverage_warnings(D(2026, 3, 1), set()) if "2026" in w.msg]


@pytest.mark.django_db
def test_the_registered_check_reads_the_overrides():
    year = timezone.localdate().year
    uncovered = {y for y in (year, year + 1) if y not in library_covered_years()}

    def warned_years() -> set[int]:
        found = checks.run_checks(include_deployment_checks=True)
        return {
            y for w in found if w.id == "cases.W010" for y in (year, year + 1) if str(y) in w.msg
        }

    assert warned_years() == uncovered
    for y in uncovered:
        CalendarOverride.objects.create(date=D(y, 1, 1), is_working_day=True, note="测试")
    assert warned_years() == set()


@pytest.mark.django_db
def test_the_working_days_are_translated():
    from django.utils import translation

    with translation.override("en"):
        assert render_left(at(2026, 2, 24, 10, 0), at(2026, 2, 13, 9, 0)) == "2 working days left"
        assert render_left(at(2026, 2, 24, 10, 0), at(2026, 2, 25, 9, 0)) == (
            "1 working day overdue"
        )
