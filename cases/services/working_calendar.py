"""Stage limits on the official working calendar: the calendar with the
administrator's overrides, a limit's deadline, and how far off it is."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import admin_object_delete, admin_object_save
from audit.models import AuditEventType
from audit.services import audit_record
from cases.models import CalendarOverride
from cases.workflow import DayKind
from cases.working_days import WorkingCalendar


def working_calendar() -> WorkingCalendar:
    """The official calendar with every override (a small table: one query)."""
    return WorkingCalendar(dict(CalendarOverride.objects.values_list("date", "is_working_day")))


def deadline_after(
    start: datetime.datetime, days: int, day_kind: str, calendar: WorkingCalendar | None = None
) -> datetime.datetime:
    """The moment a limit of `days` (working or calendar days) that starts at
    `start` runs out: the same time of day, `days` days later; in working
    days, on the days-th working day after the start's local date."""
    if day_kind == DayKind.CALENDAR:
        return start + datetime.timedelta(days=days)
    local = timezone.localtime(start)
    day = (calendar or working_calendar()).add_working_days(local.date(), days)
    return local.replace(year=day.year, month=day.month, day=day.day)


def warning_starts(
    deadline: datetime.datetime,
    days_before: int,
    day_kind: str,
    calendar: WorkingCalendar | None = None,
) -> datetime.datetime:
    """When "due soon" starts: `days_before` days (counted as the limit is)
    before the deadline."""
    if day_kind == DayKind.CALENDAR:
        return deadline - datetime.timedelta(days=days_before)
    local = timezone.localtime(deadline)
    day = (calendar or working_calendar()).add_working_days(local.date(), -days_before)
    return local.replace(year=day.year, month=day.month, day=day.day)


@dataclass(frozen=True)
class DeadlineStatus:
    """A deadline as a page shows it: the date and the working days left
    (negative: working days overdue), and whether it has passed."""

    deadline: datetime.datetime
    working_days: int
    overdue: bool

    @property
    def date(self) -> datetime.date:
        return timezone.localtime(self.deadline).date()

    @property
    def working_days_overdue(self) -> int:
        return -self.working_days


def deadline_status(
    deadline: datetime.datetime, now: datetime.datetime, calendar: WorkingCalendar
) -> DeadlineStatus:
    """How the deadline stands at `now`, in working days between today and
    the deadline's date (0: due today)."""
    today = timezone.localtime(now).date()
    due = timezone.localtime(deadline).date()
    return DeadlineStatus(
        deadline=deadline,
        working_days=calendar.working_days_between(today, due),
        overdue=deadline <= now,
    )


@transaction.atomic
def open_deadlines_recompute(*, actor=None) -> int:
    """Recompute the deadline of every open case whose stage limit is in
    working days (after the calendar changed: an override saved or deleted),
    from the moment it entered its stage, and audit each one moved. Returns
    how many moved."""
    from cases.models import Case, StageDeadline
    from cases.services.deadlines import stage_deadline_for
    from cases.workflow import FINAL_STATES

    calendar = working_calendar()
    limits = {(limit.unit_id, limit.state): limit for limit in StageDeadline.objects.all()}
    changed = 0
    open_cases = Case.objects.exclude(state__in=FINAL_STATES).filter(deadline_at__isnull=False)
    for case in open_cases.select_for_update():
        limit = stage_deadline_for(case, limits)
        if limit is None or limit.day_kind != DayKind.WORKING:
            continue
        deadline = deadline_after(case.state_entered_at, limit.days, limit.day_kind, calendar)
        if deadline == case.deadline_at:
            continue
        before, case.deadline_at = case.deadline_at, deadline
        case.save(update_fields=["deadline_at"])
        audit_record(
            event_type=AuditEventType.CASE_UPDATED,
            actor=actor,
            case=case,
            summary=_("工作日历调整，重新计算本阶段期限"),
            data={"before": {"deadline_at": before}, "after": {"deadline_at": deadline}},
        )
        changed += 1
    return changed


@transaction.atomic
def calendar_override_save(*, actor, override: CalendarOverride) -> int:
    """Save an override (checked, audited) and move the deadlines it moves.
    Returns how many cases' deadlines moved."""
    admin_object_save(actor=actor, obj=override)
    return open_deadlines_recompute(actor=actor)


@transaction.atomic
def calendar_override_delete(*, actor, override: CalendarOverride) -> int:
    admin_object_delete(actor=actor, obj=override)
    return open_deadlines_recompute(actor=actor)
