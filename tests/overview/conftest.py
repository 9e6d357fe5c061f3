import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from cases.workflow import CaseState
from deliberation.services import vote_close
from overview.selectors import Scope
from tests import flows
from tests.factories import UnitFactory
from tests.overview.clock import SHANGHAI, Clock


def scope_of(*units, **kwargs) -> Scope:
    """The overview's scope over `units`."""
    return Scope(unit_ids=frozenset(u.pk for u in units), **kwargs)


def counts_by_key(items) -> dict:
    return {item.key: item.count for item in items}


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI))
    monkeypatch.setattr(timezone, "now", clock)
    return clock


@dataclass
class Bureaus:
    """A Tai'an city bureau with a district bureau below it, and a
    Lianyungang bureau beside them."""

    city: object
    district: object
    other: object


@pytest.fixture
def bureaus(catalogs):
    return make_bureaus()


def make_bureaus() -> Bureaus:
    city = UnitFactory(name="泰安市市场监督管理局", abbreviation="泰市监")
    district = UnitFactory(
        name="泰山区市场监督管理局",
        abbreviation="泰山监",
        parent=city,
        kind="county_bureau",
        level="county",
    )
    other = UnitFactory(
        name="连云港市市场监督管理局", abbreviation="连市监", jurisdiction="lianyungang"
    )
    return Bureaus(city, district, other)


def decide_citing(flow: flows.Flow, cited: list[str], reason: str) -> None:
    """Decide a case at deliberation with the given clauses cited for every
    officer (a clause not satisfied needs the departure reason)."""
    flows.deliberation_facts(flow)
    flows.convene(flow)
    for subject_officer in flow.subject_officers:
        flows.vote_all(
            flow,
            flows.propose(flow, subject_officer, cited_clauses=cited, departure_reason=reason),
        )
    vote_close(actor=flow.staff.chair, meeting=flow.meeting)
    flow.reload()


@dataclass
class Decided:
    """Five cases whose outcomes and clauses are known (see make_decided)."""

    bureaus: Bureaus
    flows: dict


@pytest.fixture
def decided(bureaus):
    return make_decided(bureaus)


def make_decided(bureaus: Bureaus) -> Decided:
    """In the city bureau: two officers exempt under 6.4 (T2); one exempt
    citing 6.4 and 6.1 (T1); one officer still under investigation (P). In
    the Lianyungang bureau: one officer mitigated under 9.2 (L), and a draft
    withdrawn (W).

    Clauses: taian 6.4 claimed 4 (T2 ×2, T1, P), found satisfied 3, cited 3;
    taian 6.1 cited 1; lianyungang 9.2 claimed 2 (L, W), satisfied 1, cited 1.
    """
    city_staff = flows.staff_for(bureaus.city)
    other_staff = flows.staff_for(bureaus.other)
    t2 = flows.taian_case_at(CaseState.DECIDED, staff=city_staff, officers=2)
    t1 = flows.taian_case_at(CaseState.DELIBERATION, staff=city_staff)
    decide_citing(t1, ["6.4", "6.1"], "两项条款共同适用。")
    p = flows.taian_case_at(CaseState.INVESTIGATING, staff=city_staff)
    lyg = flows.lianyungang_case_at(CaseState.DECIDED, staff=other_staff)
    w = flows.new_case(flows.LIANYUNGANG, staff=other_staff)
    flows.move(w, "withdraw", other_staff.inspector, reason="反映的问题不属实。")
    return Decided(bureaus, {"T2": t2, "T1": t1, "P": p, "L": lyg, "W": w})


@pytest.fixture
def timed(bureaus, clock):
    """Four Lianyungang cases whose stays are known to the hour:
    draft 1, 3, 2 and 6 days; registered 2, 4 and 0.5 days (C is still
    registered); investigating 10 days (B is in deliberation)."""
    staff = flows.staff_for(bureaus.other)

    def case(*steps):
        flow = flows.new_case(flows.LIANYUNGANG, staff=staff)
        for days, step in steps:
            clock.advance(days=days)
            step(flow)
        return flow

    case((1, flows.register), (2, flows.start_investigation))
    case(
        (3, flows.register),
        (4, flows.start_investigation),
        (10, lambda f: (flows.finish_investigation(f), flows.submit(f))),
    )
    case((2, flows.register))
    case((6, flows.register), (0.5, flows.start_investigation))
    return staff
