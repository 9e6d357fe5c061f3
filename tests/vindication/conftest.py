"""People of a Tai'an bureau and its sub-unit, and cases decided through the
services with the outcome a test needs, for one officer or another."""

import datetime
from types import SimpleNamespace

import pytest

from accounts.roles import Role
from cases.models import SubjectOfficer
from cases.workflow import CaseState
from deliberation.models import Determination
from deliberation.services import vote_close
from tests.factories import OfficerFactory, UnitFactory
from tests.flows import (
    convene,
    deliberation_facts,
    lianyungang_case_at,
    person,
    propose,
    taian_case_at,
    vote_all,
)

DEPARTURE = "经集体研究，综合全案情况作出认定。"
OUTCOMES = {
    # outcome: (builder, proposal changes)
    "exempt": (taian_case_at, {}),
    "no_fault": (
        taian_case_at,
        {"outcome": "no_fault", "cited_clauses": [], "departure_reason": DEPARTURE},
    ),
    "liable": (
        taian_case_at,
        {"outcome": "liable", "cited_clauses": [], "departure_reason": DEPARTURE},
    ),
    "mitigated": (lianyungang_case_at, {}),
    "lianyungang_no_fault": (
        lianyungang_case_at,
        {
            "outcome": "no_fault",
            "cited_clauses": [],
            "measure": "",
            "departure_reason": DEPARTURE,
        },
    ),
    "transferred": (
        lianyungang_case_at,
        {
            "outcome": "transferred",
            "cited_clauses": [],
            "measure": "",
            "departure_reason": DEPARTURE,
        },
    ),
}


@pytest.fixture
def org(catalogs):
    return make_org()


def make_org() -> SimpleNamespace:
    """A municipal bureau with a county bureau below it, each with an
    officer; the bureau's leadership, administrator, personnel and inspector;
    the county's own leader."""
    city = UnitFactory(name="泰安市市场监督管理局", abbreviation="泰市监")
    county = UnitFactory(
        name="泰山区市场监督管理局",
        abbreviation="泰山市监",
        kind="county_bureau",
        level="county",
        parent=city,
    )
    other = UnitFactory(name="新泰市市场监督管理局", abbreviation="新市监")
    people = SimpleNamespace(
        city=city,
        county=county,
        other=other,
        leader=person(city, Role.LEADERSHIP_MEMBER, "孙副局长"),
        chair=person(city, Role.LEADERSHIP_CHAIR, "钱局长"),
        admin=person(city, Role.ADMINISTRATOR, "郑管理"),
        personnel=person(city, Role.PERSONNEL, "马人事"),
        inspector=person(city, Role.INSPECTOR, "王承办"),
        expert=person(city, Role.EXPERT, "赵专家"),
        county_leader=person(county, Role.LEADERSHIP_MEMBER, "杨副局长"),
        other_leader=person(other, Role.LEADERSHIP_MEMBER, "林副局长"),
    )
    people.officer_user = person(city, Role.INSPECTOR, "张执法")
    people.officer = OfficerFactory(
        name="张执法", certificate_number="37090011", unit=city, user=people.officer_user
    )
    people.colleague = OfficerFactory(name="刘执法", certificate_number="37090012", unit=city)
    people.county_officer = OfficerFactory(
        name="杨执法", certificate_number="37090111", unit=county
    )
    return people


def decide_case(outcome: str, *, officer=None, unit=None, decided_on: datetime.date | None = None):
    """A case decided with `outcome` for its one subject officer (made that
    officer when given), through the services; its determination dated
    `decided_on` when given."""
    builder, changes = OUTCOMES[outcome]
    kwargs = {"disputed": False} if builder is taian_case_at else {}
    if unit is not None:
        kwargs["unit"] = unit
    flow = builder(CaseState.DELIBERATION, **kwargs)
    if officer is not None:
        SubjectOfficer.objects.filter(pk=flow.officer.pk).update(officer=officer)
        flow.subject_officers = list(flow.case.subject_officers.order_by("id"))
        flow.reload()
    deliberation_facts(flow)
    convene(flow)
    determination = propose(flow, **changes)
    vote_all(flow, determination)
    vote_close(actor=flow.staff.chair, meeting=flow.meeting)
    flow.reload()
    assert flow.state == CaseState.DECIDED
    if decided_on is not None:
        moment = datetime.datetime.combine(decided_on, datetime.time(10), tzinfo=datetime.UTC)
        Determination.objects.filter(pk=determination.pk).update(decided_at=moment)
    return flow


@pytest.fixture
def decided():
    return decide_case
