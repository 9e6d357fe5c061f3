"""The case list: every filter, the search, the sort links, pagination that
keeps the filters, invalid filter input, and that another unit's cases never
appear whatever is asked."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from cases.models import Case
from cases.workflow import CaseState
from deliberation.models import Determination, Meeting
from tests.factories import (
    CaseFactory,
    OfficerFactory,
    SubjectOfficerFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("cases:list")
DAY = datetime.timedelta(days=1)


def numbers(response) -> list[str]:
    """The case numbers the page lists, in order."""
    return [case.number for case in response.context["page"].object_list]


def set_state(case, state, **fields) -> Case:
    """Put a test case in a stage without the workflow (list tests only)."""
    Case.objects.filter(pk=case.pk).update(state=state, **fields)
    return Case.objects.get(pk=case.pk)


def determined(case, outcome, status=Determination.Status.ADOPTED) -> Determination:
    """A determination row for the case's first officer (the list reads it only)."""
    subject = case.subject_officers.first() or SubjectOfficerFactory(case=case)
    meeting = Meeting.objects.create(
        case=case,
        held_on=datetime.date(2026, 6, 20),
        place="会议室",
        status=Meeting.Status.CLOSED,
        quorum_numerator=2,
        quorum_denominator=3,
        majority_numerator=1,
        majority_denominator=2,
        convened_by=case.created_by,
    )
    return Determination.objects.create(
        case=case,
        subject_officer=subject,
        meeting=meeting,
        regulation=case.regulation,
        outcome=outcome,
        reasons="理由",
        engine_outcome=outcome,
        status=status,
        proposed_by=case.created_by,
    )


@pytest.fixture
def county(unit):
    return UnitFactory(
        name="泰山区市场监督管理局",
        abbreviation="泰山市监",
        parent=unit,
        kind="county_bureau",
        level="county",
    )


@pytest.fixture
def leader(unit):
    return UserFactory(
        username="leader", display_name="孙副局长", units=[unit], roles=[Role.LEADERSHIP_MEMBER]
    )


@pytest.fixture
def as_inspector(client, inspector):
    client.force_login(inspector)
    return client


@pytest.fixture
def as_leader(client, leader):
    client.force_login(leader)
    return client


# --- filters ----------------------------------------------------------------------


def test_it_filters_by_stage(as_inspector, inspector, unit):
    draft = CaseFactory(unit=unit, created_by=inspector)
    investigating = set_state(CaseFactory(unit=unit, created_by=inspector), CaseState.INVESTIGATING)
    response = as_inspector.get(LIST, {"state": "investigating"})
    assert numbers(response) == [investigating.number]
    assert draft.number not in response.content.decode()


def test_it_filters_by_unit(as_leader, unit, county):
    own = CaseFactory(unit=unit)
    sub = CaseFactory(unit=county)
    assert numbers(as_leader.get(LIST, {"unit": county.pk})) == [sub.number]
    assert numbers(as_leader.get(LIST, {"unit": unit.pk})) == [own.number]


def test_it_filters_by_regulation(as_leader, unit, county, catalogs):
    taian = CaseFactory(unit=unit)
    lianyungang = CaseFactory(unit=county, regulation=catalogs["lianyungang"])
    regulation = catalogs["lianyungang"].regulation
    response = as_leader.get(LIST, {"regulation": regulation.pk})
    assert numbers(response) == [lianyungang.number]
    assert taian.number not in response.content.decode()
    # The choice is labelled with the regulation's title, not its slug.
    assert catalogs["lianyungang"].title in response.content.decode()


def test_it_filters_by_field(as_inspector, inspector, unit):
    CaseFactory(unit=unit, created_by=inspector, field="food")
    drugs = CaseFactory(unit=unit, created_by=inspector, field="drugs")
    assert numbers(as_inspector.get(LIST, {"field": "drugs"})) == [drugs.number]


def test_it_filters_by_officer(as_inspector, inspector, unit, officers):
    zhang, liu = officers
    first = SubjectOfficerFactory(
        case=CaseFactory(unit=unit, created_by=inspector), officer=zhang
    ).case
    SubjectOfficerFactory(case=CaseFactory(unit=unit, created_by=inspector), officer=liu)
    both = CaseFactory(unit=unit, created_by=inspector)
    SubjectOfficerFactory(case=both, officer=zhang)
    SubjectOfficerFactory(case=both, officer=liu)
    response = as_inspector.get(LIST, {"officer": zhang.pk})
    assert sorted(numbers(response)) == sorted([first.number, both.number])


def test_it_filters_by_deadline(as_inspector, inspector, unit):
    now = timezone.now()
    overdue = set_state(
        CaseFactory(unit=unit, created_by=inspector), "registered", deadline_at=now - DAY
    )
    soon = set_state(
        CaseFactory(unit=unit, created_by=inspector), "registered", deadline_at=now + 3 * DAY
    )
    later = set_state(
        CaseFactory(unit=unit, created_by=inspector), "registered", deadline_at=now + 20 * DAY
    )
    none = CaseFactory(unit=unit, created_by=inspector)
    assert numbers(as_inspector.get(LIST, {"deadline": "overdue"})) == [overdue.number]
    assert numbers(as_inspector.get(LIST, {"deadline": "due_soon"})) == [soon.number]
    assert numbers(as_inspector.get(LIST, {"deadline": "none"})) == [none.number]
    assert later.number in numbers(as_inspector.get(LIST))


def test_the_deadline_column_says_overdue_in_words(as_inspector, inspector, unit):
    set_state(
        CaseFactory(unit=unit, created_by=inspector), "registered", deadline_at=timezone.now() - DAY
    )
    assert "已超期" in as_inspector.get(LIST).content.decode()


def test_it_filters_by_outcome_of_adopted_determinations(as_inspector, inspector, unit):
    exempt = CaseFactory(unit=unit, created_by=inspector)
    determined(exempt, "exempt")
    liable = CaseFactory(unit=unit, created_by=inspector)
    determined(liable, "liable")
    proposed_only = CaseFactory(unit=unit, created_by=inspector)
    determined(proposed_only, "exempt", status=Determination.Status.PROPOSED)
    undecided = CaseFactory(unit=unit, created_by=inspector)
    assert numbers(as_inspector.get(LIST, {"outcome": "exempt"})) == [exempt.number]
    assert numbers(as_inspector.get(LIST, {"outcome": "liable"})) == [liable.number]
    assert sorted(numbers(as_inspector.get(LIST, {"outcome": "none"}))) == sorted(
        [proposed_only.number, undecided.number]
    )


def test_the_outcome_column_shows_adopted_outcomes(as_inspector, inspector, unit):
    determined(CaseFactory(unit=unit, created_by=inspector), "exempt")
    assert "不予追究责任" in as_inspector.get(LIST).content.decode()


def test_filters_combine(as_inspector, inspector, unit):
    wanted = set_state(
        CaseFactory(unit=unit, created_by=inspector, field="drugs"), CaseState.INVESTIGATING
    )
    set_state(CaseFactory(unit=unit, created_by=inspector, field="food"), CaseState.INVESTIGATING)
    CaseFactory(unit=unit, created_by=inspector, field="drugs")
    response = as_inspector.get(LIST, {"state": "investigating", "field": "drugs"})
    assert numbers(response) == [wanted.number]


# --- search -----------------------------------------------------------------------


def test_it_searches_by_case_number(as_inspector, inspector, unit):
    wanted = CaseFactory(
        unit=unit, created_by=inspector, sequence=4711, number="泰市监〔2026〕4711号"
    )
    CaseFactory(unit=unit, created_by=inspector)
    assert numbers(as_inspector.get(LIST, {"q": "4711"})) == [wanted.number]


def test_it_searches_by_officer_name(as_inspector, inspector, unit, officers):
    wanted = SubjectOfficerFactory(
        case=CaseFactory(unit=unit, created_by=inspector), officer=officers[0]
    ).case
    SubjectOfficerFactory(case=CaseFactory(unit=unit, created_by=inspector), officer=officers[1])
    assert numbers(as_inspector.get(LIST, {"q": "张执"})) == [wanted.number]


def test_a_search_with_no_match_says_so(as_inspector, inspector, unit):
    CaseFactory(unit=unit, created_by=inspector)
    response = as_inspector.get(LIST, {"q": "没有这个人"})
    assert numbers(response) == []
    assert "没有符合筛选条件的案件" in response.content.decode()


# --- sorting ----------------------------------------------------------------------


@pytest.fixture
def three(unit, county):
    """Three cases the leader sees, differing in every sortable column."""
    now = timezone.now()
    a = CaseFactory(unit=unit, year=2025, sequence=9, number="A〔2025〕9号")
    b = CaseFactory(unit=county, year=2026, sequence=2, number="B〔2026〕2号")
    c = CaseFactory(unit=unit, year=2026, sequence=1, number="C〔2026〕1号")
    a = set_state(a, CaseState.DELIBERATION, deadline_at=now + 5 * DAY)
    b = set_state(b, CaseState.REGISTERED, deadline_at=now - DAY)
    c = set_state(c, CaseState.CLOSED, deadline_at=None)
    Case.objects.filter(pk=a.pk).update(state_entered_at=now - 3 * DAY)
    Case.objects.filter(pk=b.pk).update(state_entered_at=now - 1 * DAY)
    Case.objects.filter(pk=c.pk).update(state_entered_at=now - 2 * DAY)
    return a.number, b.number, c.number


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("number", "acb"),  # by year, then sequence
        ("-number", "bca"),
        ("unit", "acb"),  # 泰安市… before 泰山区… (by name), then by id
        ("-unit", "bca"),
        ("stage", "bac"),  # registered, deliberation, closed: workflow order
        ("-stage", "cab"),
        ("deadline", "bac"),  # soonest first, none last
        ("-deadline", "cab"),  # none counts as latest: first going down
        ("changed", "acb"),
        ("-changed", "bca"),
    ],
)
def test_it_sorts_by_each_column(as_leader, three, sort, expected):
    by_letter = dict(zip("abc", three, strict=True))
    response = as_leader.get(LIST, {"sort": sort})
    assert numbers(response) == [by_letter[letter] for letter in expected]


def test_the_sorted_column_carries_aria_sort_and_its_link_reverses(as_leader, three):
    content = as_leader.get(LIST, {"sort": "deadline", "state": "registered"}).content.decode()
    header = re.search(r'<th scope="col" aria-sort="ascending"><a href="([^"]+)"', content)
    assert header is not None
    link = header.group(1).replace("&amp;", "&")
    assert "sort=-deadline" in link and "state=registered" in link
    assert content.count('aria-sort="none"') == 4  # the other sortable columns


def test_the_header_links_sort_ascending_first(as_leader, three):
    content = as_leader.get(LIST).content.decode()
    assert 'href="?sort=number"' in content
    assert 'aria-sort="ascending"' not in content


# --- pagination -------------------------------------------------------------------


def test_pagination_keeps_the_filters_and_the_sort(as_inspector, inspector, unit):
    for case in CaseFactory.create_batch(30, unit=unit, field="drugs", created_by=inspector):
        set_state(case, CaseState.INVESTIGATING)
    CaseFactory.create_batch(3, unit=unit, field="food", created_by=inspector)
    response = as_inspector.get(LIST, {"field": "drugs", "sort": "number"})
    content = response.content.decode().replace("&amp;", "&")
    assert response.context["page"].paginator.count == 30
    next_link = re.search(r'href="(\?[^"]*page=2[^"]*)" rel="next"', content).group(1)
    assert "field=drugs" in next_link and "sort=number" in next_link
    second = as_inspector.get(LIST + next_link)
    assert len(numbers(second)) == 5
    assert set(numbers(response)).isdisjoint(numbers(second))
    assert all(Case.objects.get(number=n).field == "drugs" for n in numbers(second))


def test_the_filter_form_keeps_its_values(as_inspector, unit):
    content = as_inspector.get(LIST, {"field": "drugs", "q": "泰市监"}).content.decode()
    assert '<option value="drugs" selected>' in content
    assert 'value="泰市监"' in content


def test_a_bad_page_number_shows_a_page(as_inspector, inspector, unit):
    CaseFactory(unit=unit, created_by=inspector)
    assert as_inspector.get(LIST, {"page": "abc"}).status_code == 200
    assert as_inspector.get(LIST, {"page": "999"}).status_code == 200


# --- invalid input ----------------------------------------------------------------


@pytest.mark.parametrize(
    "params, field",
    [
        ({"state": "nonsense"}, "state"),
        ({"field": "<script>"}, "field"),
        ({"unit": "abc"}, "unit"),
        ({"officer": "999999"}, "officer"),
        ({"deadline": "yesterday"}, "deadline"),
        ({"outcome": "pardoned"}, "outcome"),
        ({"regulation": "-1"}, "regulation"),
        ({"sort": "password"}, "sort"),
        ({"q": "x" * 61}, "q"),
    ],
)
def test_an_invalid_filter_is_named_and_ignored(as_inspector, inspector, unit, params, field):
    case = CaseFactory(unit=unit, created_by=inspector)
    response = as_inspector.get(LIST, params)
    assert response.status_code == 200
    assert field in response.context["filters"].form.errors
    content = response.content.decode()
    assert 'data-testid="filter-errors"' in content
    assert "以下筛选条件无效" in content
    assert numbers(response) == [case.number]  # the invalid filter is ignored
    assert "<script>" not in content


def test_the_other_filters_still_apply_when_one_is_invalid(as_inspector, inspector, unit):
    CaseFactory(unit=unit, created_by=inspector, field="food")
    drugs = CaseFactory(unit=unit, created_by=inspector, field="drugs")
    response = as_inspector.get(LIST, {"field": "drugs", "state": "nonsense"})
    assert numbers(response) == [drugs.number]
    assert 'aria-invalid="true"' in response.content.decode()


def test_every_filter_has_a_label(as_inspector, unit):
    content = as_inspector.get(LIST).content.decode()
    for name in ("q", "state", "unit", "regulation", "field", "officer", "deadline", "outcome"):
        assert f'<label for="id_{name}"' in content, name
        assert f'id="id_{name}"' in content, name


# --- visibility -------------------------------------------------------------------


def test_another_units_cases_never_appear(as_inspector, inspector, unit, other_unit):
    own = CaseFactory(unit=unit, created_by=inspector)
    foreign = CaseFactory(unit=other_unit)
    SubjectOfficerFactory(case=foreign, officer=OfficerFactory(unit=other_unit, name="外单位人"))
    for params in (
        {},
        {"q": foreign.number},
        {"q": "外单位人"},
        {"unit": other_unit.pk},
        {"state": "draft"},
        {"sort": "-number"},
    ):
        response = as_inspector.get(LIST, params)
        assert numbers(response) in ([], [own.number]), params
        assert reverse("cases:detail", args=[foreign.pk]) not in response.content.decode()
    assert own.number in numbers(as_inspector.get(LIST))


def test_the_choices_offer_only_visible_units_and_officers(as_inspector, unit, other_unit):
    OfficerFactory(unit=other_unit, name="外单位人")
    OfficerFactory(unit=unit, name="本单位人")
    content = as_inspector.get(LIST).content.decode()
    assert "本单位人" in content
    assert "外单位人" not in content
    assert other_unit.name not in content


def test_an_inspector_does_not_see_sub_unit_cases_even_when_filtering_for_them(
    as_inspector, county
):
    sub = CaseFactory(unit=county)
    response = as_inspector.get(LIST, {"unit": county.pk})
    assert "unit" in response.context["filters"].form.errors
    assert sub.number not in response.content.decode()


def test_the_message_names_every_invalid_filter(as_inspector, unit):
    response = as_inspector.get(LIST, {"state": "nonsense", "deadline": "never"})
    alert = re.search(
        r'data-testid="filter-errors">(.*?)</div>', response.content.decode(), re.S
    ).group(1)
    assert alert.strip().endswith("阶段、本阶段期限")
