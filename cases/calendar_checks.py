"""Start-up check that the working calendar knows the official days off of
this year and the next: deadlines counted in working days would otherwise
miss the holidays and the 调休 working weekends of a year whose notice the
installed holidays library does not encode and no administrator entered."""

import datetime

from django.core import checks
from django.db import DatabaseError
from django.utils import timezone

from cases.working_days import library_covered_years

HINT = (
    "Upgrade the `holidays` package to a version with that year's China arrangement "
    "(国务院办公厅关于部分节假日安排的通知), or enter its days off and 调休 working days "
    "in the admin under 工作日历调整 (CalendarOverride)."
)


def calendar_coverage_warnings(today: datetime.date, override_years: set[int]) -> list:
    """One warning per year (this one, the next) the calendar does not cover."""
    covered = library_covered_years() | override_years
    return [
        checks.Warning(
            f"The working calendar does not know the official holidays of {year}: "
            "deadlines in working days will count only weekends and rule-based holidays.",
            hint=HINT,
            id="cases.W010",
        )
        for year in (today.year, today.year + 1)
        if year not in covered
    ]


def _override_years() -> set[int]:
    from cases.models import CalendarOverride

    try:
        return {day.year for day in CalendarOverride.objects.dates("date", "year")}
    except (DatabaseError, RuntimeError):
        # Before the first migrate (or where the database is out of reach,
        # e.g. a test without one) only the library is known.
        return set()


# A deployment check (manage.py check --deploy, run by every deployment and
# the production smoke): as a plain check it would print its warning before
# the output of every management command for weeks each year, until the
# next year's arrangement is published and the library updated.
@checks.register(deploy=True)
def working_calendar_coverage(app_configs=None, **kwargs) -> list:
    return calendar_coverage_warnings(timezone.localdate(), _override_years())
