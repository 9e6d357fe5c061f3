"""China's official working calendar, in pure Python: weekends and statutory
holidays are days off, except the 调休 weekends the State Council's yearly
notice (国务院办公厅关于部分节假日安排的通知) makes working days.

The days come from the maintained `holidays` library (its China calendar
lists the holidays and, as `weekend_workdays`, the 调休 working weekends of
every year whose notice it encodes). An administrator's overrides
(cases.models.CalendarOverride, passed in here as {date: is_working_day})
win over the library, for a notice published after the installed version.

Counting follows administrative practice: the day a period starts is not
counted (期间开始之日不计算在内); the deadline is the n-th working day after it.
"""

import datetime
from collections.abc import Mapping
from functools import lru_cache

import holidays

ONE_DAY = datetime.timedelta(days=1)


@lru_cache(maxsize=64)
def _library_year(year: int) -> holidays.HolidayBase:
    return holidays.China(years=year)


@lru_cache(maxsize=1)
def library_covered_years() -> frozenset[int]:
    """The years whose official arrangement (the 调休 swaps) the installed
    library encodes. Other years get only the holidays its rules compute,
    without the swaps: not to be trusted for deadlines."""
    try:
        from holidays.countries.china import ChinaStaticHolidays

        return frozenset(ChinaStaticHolidays.special_public_holidays)
    except (ImportError, AttributeError):
        # Should the library move its table: the years with a 调休 swap.
        this_year = datetime.date.today().year  # noqa: DTZ011 (a year, not a day)
        years = range(2000, this_year + 3)
        return frozenset(day.year for day in holidays.China(years=years).weekend_workdays)


def library_is_working_day(day: datetime.date) -> bool:
    return _library_year(day.year).is_working_day(day)


def library_holiday_name(day: datetime.date) -> str | None:
    return _library_year(day.year).get(day)


class WorkingCalendar:
    """The library's calendar with an administrator's overrides on top."""

    def __init__(self, overrides: Mapping[datetime.date, bool] | None = None):
        self.overrides = dict(overrides or {})

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return library_is_working_day(day)

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        """The n-th working day after `start` (before it when n < 0); `start`
        itself for n == 0, whether or not it is a working day."""
        step = ONE_DAY if n >= 0 else -ONE_DAY
        day, left = start, abs(n)
        while left:
            day += step
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, a: datetime.date, b: datetime.date) -> int:
        """The working days after `a` up to and including `b`; negative (the
        same count, from b to a) when b is before a. So a deadline on `b` seen
        on day `a` has this many working days left, and one passed has
        -this many working days of delay."""
        if b < a:
            return -self.working_days_between(b, a)
        count, day = 0, a
        while day < b:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count

    def covered_years(self) -> frozenset[int]:
        """The years whose days off are known: in the library, or with at
        least one override entered by an administrator (the year's notice)."""
        return library_covered_years() | {day.year for day in self.overrides}


def is_working_day(day: datetime.date, overrides: Mapping | None = None) -> bool:
    return WorkingCalendar(overrides).is_working_day(day)


def add_working_days(start: datetime.date, n: int, overrides: Mapping | None = None):
    return WorkingCalendar(overrides).add_working_days(start, n)


def working_days_between(a: datetime.date, b: datetime.date, overrides: Mapping | None = None):
    return WorkingCalendar(overrides).working_days_between(a, b)
