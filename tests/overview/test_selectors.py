"""Each figure of the overview against hand-built cases, with exact numbers.
The figures over the conftest's five decided cases are in
test_selectors_decided.py, which builds them once for its tests."""

import datetime

import pytest
from django.utils import timezone

from cases.models import StageDeadline
from cases.workflow import CaseState
from overview.selectors import (
    cases_by_stage,
    cases_by_unit,
    cases_overdue_by_stage,
    clause_uses,
    officers_by_outcome,
    overdue_cases,
    stage_times,
)
from tests import flows
from tests.overview.clock import SHANGHAI
from tests.overview.conftest import counts_by_key, scope_of

pytestmark = pytest.mark.django_db


def test_a_scope_without_cases_has_zeros_and_no_clauses(bureaus):
    cases = scope_of(bureaus.city).cases()
    assert sum(counts_by_key(cases_by_stage(cases)).values()) == 0
    assert sum(counts_by_key(officers_by_outcome(cases)).values()) == 0
    assert cases_by_unit(cases) == []
    assert clause_uses(cases) == []
    assert all(t.stays == 0 and t.mean_days is None for t in stage_times(cases))


def test_it_gives_mean_and_median_days_per_stage(timed, bureaus):
    times = {t.state: t for t in stage_times(scope_of(bureaus.other).cases())}
    assert [state for state in times] == [
        s for s in CaseState.values if s not in ("closed", "withdrawn")
    ]
    draft, registered, investigating = (times[s] for s in ("draft", "registered", "investigating"))
    assert (draft.stays, registered.stays, investigating.stays) == (4, 3, 1)
    assert draft.mean_days == pytest.approx(3.0, abs=1e-6)
    assert draft.median_days == pytest.approx(2.5, abs=1e-6)  # (2 + 3) / 2
    assert registered.mean_days == pytest.approx(6.5 / 3, abs=1e-6)
    assert registered.median_days == pytest.approx(2.0, abs=1e-6)
    assert investigating.mean_days == pytest.approx(10.0, abs=1e-6)
    assert investigating.median_days == pytest.approx(10.0, abs=1e-6)
    assert times["deliberation"].stays == 0
    assert times["deliberation"].mean_days is None
    assert times["deliberation"].median_days is None


def test_stage_times_only_count_cases_inscope_of(timed, bureaus):
    times = stage_times(scope_of(bureaus.city).cases())
    assert all(t.stays == 0 for t in times)


def test_it_counts_overdue_cases_per_stage(bureaus, clock):
    # In calendar days, so that the dates below are plain arithmetic.
    StageDeadline.objects.filter(unit=None, state=CaseState.REGISTERED).update(
        days=5, day_kind="calendar"
    )
    StageDeadline.objects.create(
        unit=bureaus.other, state=CaseState.INVESTIGATING, days=3, day_kind="calendar"
    )
    staff = flows.staff_for(bureaus.other)
    late = flows.new_case(flows.LIANYUNGANG, staff=staff)
    flows.register(late)  # due 2026-03-07 09:00
    clock.advance(days=1)
    on_time = flows.new_case(flows.LIANYUNGANG, staff=staff)
    flows.register(on_time)  # due 2026-03-08 09:00
    investigating = flows.new_case(flows.LIANYUNGANG, staff=staff)
    flows.register(investigating)
    flows.start_investigation(investigating)  # due 2026-03-06 09:00
    flows.new_case(flows.LIANYUNGANG, staff=staff)  # a draft: no time limit

    now = datetime.datetime(2026, 3, 7, 12, 0, tzinfo=SHANGHAI)
    cases = scope_of(bureaus.other).cases()
    rows = {row.state: (row.open, row.overdue) for row in cases_overdue_by_stage(cases, now=now)}
    assert rows["registered"] == (2, 1)
    assert rows["investigating"] == (1, 1)
    assert rows["draft"] == (1, 0)
    assert sum(overdue for _open, overdue in rows.values()) == 2
    # Longest overdue first.
    assert [c.pk for c in overdue_cases(cases, now=now)] == [
        investigating.case.pk,
        late.case.pk,
    ]
    assert overdue_cases(cases, now=now - datetime.timedelta(days=2)) == []


def test_the_period_is_a_range_of_creation_dates(bureaus, clock):
    staff = flows.staff_for(bureaus.other)
    clock.set(datetime.datetime(2026, 3, 31, 23, 30, tzinfo=SHANGHAI))
    march = flows.new_case(flows.LIANYUNGANG, staff=staff)
    clock.set(datetime.datetime(2026, 4, 1, 0, 10, tzinfo=SHANGHAI))
    april = flows.new_case(flows.LIANYUNGANG, staff=staff)

    def in_period(start, end):
        scope = scope_of(
            bureaus.other,
            start=start and datetime.datetime.combine(start, datetime.time(), tzinfo=SHANGHAI),
            end=end and datetime.datetime.combine(end, datetime.time(), tzinfo=SHANGHAI),
        )
        return set(scope.cases().values_list("pk", flat=True))

    assert in_period(None, datetime.date(2026, 4, 1)) == {march.case.pk}
    assert in_period(datetime.date(2026, 4, 1), None) == {april.case.pk}
    assert in_period(None, None) == {march.case.pk, april.case.pk}
    assert timezone.now() == clock.now
