"""Pages run a fixed number of queries whatever the number of rows: the case
list (1 case or a full page, with officers and determinations), the case
page (1 officer, evidence file and document, or many) and my tasks."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from cases.models import Evidence
from cases.workflow import CaseState
from documents.models import Document
from tests import flows
from tests.factories import CaseFactory, OfficerFactory, SubjectOfficerFactory, UserFactory

pytestmark = pytest.mark.django_db


def queries_for(client, url, params=None) -> int:
    """The queries one request runs (the session and user included)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def add_cases(unit, n, officers_each=3):
    for case in CaseFactory.create_batch(n, unit=unit, state=CaseState.INVESTIGATING):
        for _ in range(officers_each):
            SubjectOfficerFactory(case=case, officer=OfficerFactory(unit=unit))


# --- the case list --------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"state": "investigating", "sort": "-deadline"},
        {"q": "执法", "field": "food", "deadline": "none", "outcome": "none", "sort": "stage"},
    ],
    ids=["first-page", "filtered-sorted", "searched"],
)
def test_the_list_runs_the_same_queries_for_one_case_or_a_full_page(
    client, unit, inspector, params
):
    client.force_login(inspector)
    add_cases(unit, 1)
    one = queries_for(client, reverse("cases:list"), params)
    add_cases(unit, 40)
    many = queries_for(client, reverse("cases:list"), params)
    assert one == many
    # Session, user, units, roles, the model-permission cache, the
    # navigation's counts, three filter choices (units, regulations,
    # officers), the count, the cases, their officers and determinations:
    # about sixteen, none of them per row.
    assert many <= 20


def test_the_list_runs_the_same_queries_for_leadership_over_sub_units(client, unit):
    leader = UserFactory(units=[unit], roles=[Role.LEADERSHIP_MEMBER])
    county = flows.UnitFactory(parent=unit, kind="county_bureau", level="county")
    client.force_login(leader)
    add_cases(unit, 1)
    one = queries_for(client, reverse("cases:list"), {"sort": "unit"})
    add_cases(county, 30)
    add_cases(flows.UnitFactory(parent=county), 5)
    assert queries_for(client, reverse("cases:list"), {"sort": "unit"}) == one


# --- the case page --------------------------------------------------------------


def enrich(flow, n: int) -> None:
    """n evidence files and n done documents of different kinds."""
    case = flow.case
    for i in range(n):
        evidence = Evidence(
            case=case,
            original_name=f"检查记录{i}.pdf",
            content_type="application/pdf",
            size=10,
            sha256="0" * 64,
            description="检查记录表",
            uploaded_by=flow.staff.inspector,
        )
        evidence.file.save(f"e{i}", ContentFile(b"%PDF-1.4"), save=False)
        evidence.save()
    kinds = [choice for choice, _label in Document._meta.get_field("kind").choices]
    for i in range(n):
        Document.objects.create(
            case=case,
            kind=kinds[i % len(kinds)],
            status=Document.Status.DONE,
            requested_by=flow.staff.inspector,
            page_count=2,
            size=1000,
            finished_at=datetime.datetime.now(datetime.UTC),
        )


@pytest.mark.parametrize("state", [CaseState.INVESTIGATING, CaseState.DECIDED])
def test_the_case_page_runs_the_same_queries_for_one_officer_or_many(client, state):
    small = flows.lianyungang_case_at(state, officers=1)
    enrich(small, 1)
    unit = small.staff.unit
    large = flows.lianyungang_case_at(state, officers=4, staff=small.staff, unit=unit)
    enrich(large, 6)
    assert large.case.subject_officers.count() == 4
    client.force_login(small.staff.inspector)
    one = queries_for(client, reverse("cases:detail", args=[small.case.pk]))
    many = queries_for(client, reverse("cases:detail", args=[large.case.pk]))
    assert one == many


# --- my tasks -------------------------------------------------------------------


def test_my_tasks_runs_the_same_queries_for_one_task_or_many(client, unit, inspector):
    client.force_login(inspector)
    CaseFactory(unit=unit, created_by=inspector)
    one = queries_for(client, reverse("cases:tasks"))
    for state in (CaseState.DRAFT, CaseState.REGISTERED, CaseState.FILED, CaseState.DECIDED):
        CaseFactory.create_batch(5, unit=unit, created_by=inspector, state=state)
    assert queries_for(client, reverse("cases:tasks")) == one
