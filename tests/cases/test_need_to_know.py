"""Need-to-know reads (docs/access.md): a case is read by its participants
only. The list condition (cases.selectors.cases_readable_by) and the one-case
rule (cases.rules.can_see_case) come from the same reader arms
(cases.readers) and must agree, for every kind of user; the arms' no-query
shortcuts may only ever say yes where their condition does."""

import pytest
from django.urls import reverse

from accounts.roles import ADMINISTRATIVE_ROLES, Role
from cases.models import Case
from cases.readers import READER_ARMS, reader_condition
from cases.selectors import case_list_for_user, cases_readable_by
from panel.models import ExpertPanel
from tests.factories import CaseFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(unit, other_unit):
    county = UnitFactory(parent=unit, kind="county_bureau", level="county")
    registrar = UserFactory(units=[unit], roles=[Role.INSPECTOR])
    lead = UserFactory(units=[unit], roles=[Role.INVESTIGATOR])
    expert = UserFactory(units=[unit], roles=[Role.EXPERT])
    cases = {
        "assigned": CaseFactory(unit=unit, created_by=registrar, lead_investigator=lead),
        "unassigned": CaseFactory(unit=unit, created_by=registrar),
        "county": CaseFactory(unit=county, created_by=UserFactory(units=[county])),
        "other": CaseFactory(unit=other_unit, created_by=UserFactory(units=[other_unit])),
    }
    panel = ExpertPanel.objects.create(case=cases["assigned"], question="问题")
    panel.members.add(expert)
    people = {
        "registrar": (registrar, {"assigned", "unassigned"}),
        "inspector_colleague": (UserFactory(units=[unit], roles=[Role.INSPECTOR]), set()),
        "lead": (lead, {"assigned", "unassigned"}),
        # Not assigned: only the unit's case that has no investigator yet.
        "investigator_colleague": (
            UserFactory(units=[unit], roles=[Role.INVESTIGATOR]),
            {"unassigned"},
        ),
        "panel_expert": (expert, {"assigned"}),
        "expert_off_panel": (UserFactory(units=[unit], roles=[Role.EXPERT]), set()),
        "leader": (
            UserFactory(units=[unit], roles=[Role.LEADERSHIP_MEMBER]),
            {"assigned", "unassigned", "county"},
        ),
        "chair": (
            UserFactory(units=[unit], roles=[Role.LEADERSHIP_CHAIR]),
            {"assigned", "unassigned", "county"},
        ),
        "county_leader": (UserFactory(units=[county], roles=[Role.LEADERSHIP_CHAIR]), {"county"}),
        "supervisor": (
            UserFactory(units=[unit], roles=[Role.CASE_SUPERVISOR]),
            {"assigned", "unassigned"},
        ),
        "county_supervisor": (
            UserFactory(units=[county], roles=[Role.CASE_SUPERVISOR]),
            {"county"},
        ),
        "liaison": (
            UserFactory(
                units=[unit], roles=[Role.DISCIPLINE_LIAISON], discipline_body=unit.discipline_body
            ),
            set(),
        ),
        "personnel": (UserFactory(units=[unit], roles=[Role.PERSONNEL]), set()),
        "superuser": (UserFactory(units=[unit], is_staff=True, is_superuser=True), set()),
        "disabled_registrar": (
            UserFactory(units=[unit], roles=[Role.INSPECTOR], is_active=False),
            set(),
        ),
        **{
            role: (UserFactory(units=[unit], roles=[role], is_staff=True), set())
            for role in ADMINISTRATIVE_ROLES
        },
    }
    Case.objects.filter(pk=cases["unassigned"].pk).update(created_by=registrar)
    return cases, people


def fresh(user):
    """The user as a new request loads it (no per-request caches)."""
    return type(user).objects.get(pk=user.pk)


def test_the_list_and_the_case_rule_agree_with_the_matrix(world):
    cases, people = world
    names = {case.pk: name for name, case in cases.items()}
    for who, (user, expected) in people.items():
        listed = {names[c.pk] for c in case_list_for_user(fresh(user))}
        assert listed == expected, who
        user = fresh(user)
        readable = {name for name, case in cases.items() if user.has_perm("cases.view_case", case)}
        assert readable == expected, who


def test_the_no_query_shortcuts_only_say_yes_where_the_condition_does(world):
    cases, people = world
    for who, (user, _expected) in people.items():
        user = fresh(user)
        for arm in READER_ARMS:
            if arm.holds is None:
                continue
            condition = arm.condition(user)
            for name, case in cases.items():
                if arm.holds(user, case):
                    assert condition is not None, (who, arm.name, name)
                    assert Case.objects.filter(condition, pk=case.pk).exists(), (
                        who,
                        arm.name,
                        name,
                    )


def test_a_user_reading_nothing_gets_an_empty_condition(world):
    _cases, people = world
    for who in ("liaison", "personnel", "superuser", *ADMINISTRATIVE_ROLES):
        user = fresh(people[who][0])
        assert reader_condition(user) is None, who
        assert not Case.objects.filter(cases_readable_by(user)).exists(), who


def test_starting_the_investigation_takes_the_case_from_the_other_investigators(world):
    cases, people = world
    case = cases["unassigned"]
    colleague = people["investigator_colleague"][0]
    assert fresh(colleague).has_perm("cases.view_case", case)
    Case.objects.filter(pk=case.pk).update(lead_investigator=people["lead"][0])
    case.refresh_from_db()
    assert not fresh(colleague).has_perm("cases.view_case", case)
    assert fresh(people["lead"][0]).has_perm("cases.view_case", case)


def test_a_colleague_of_the_unit_opens_none_of_the_case_pages(client, world):
    cases, people = world
    case = cases["assigned"]
    client.force_login(people["inspector_colleague"][0])
    for name in ("cases:detail", "cases:documents", "cases:claims"):
        assert client.get(reverse(name, args=[case.pk])).status_code == 404, name
    response = client.get(reverse("cases:list"), {"q": case.number})
    assert list(response.context["page"].object_list) == []
    assert case.number not in client.get(reverse("cases:tasks")).content.decode()


def test_a_team_takes_an_unassigned_case_from_the_unit_and_gives_it_to_its_members(world):
    cases, people = world
    case = cases["unassigned"]
    member = UserFactory(units=[case.unit], roles=[Role.INVESTIGATOR])
    colleague = people["investigator_colleague"][0]
    case.investigation_team.add(member)
    for user, reads in ((member, True), (colleague, False)):
        listed = set(case_list_for_user(fresh(user)).values_list("pk", flat=True))
        assert (case.pk in listed) is reads
        assert fresh(user).has_perm("cases.view_case", Case.objects.get(pk=case.pk)) is reads


def test_no_arm_tests_a_subquery_on_every_case(world):
    # A correlated EXISTS inside the arms' OR is evaluated on every case in
    # the database (benchmarks/results/case_list.txt); the arms name their
    # few cases instead (cases.id_sets).
    _cases, people = world
    for who in ("lead", "investigator_colleague", "panel_expert", "registrar", "leader"):
        sql = str(Case.objects.filter(cases_readable_by(fresh(people[who][0]))).query)
        assert "EXISTS" not in sql.upper(), who
