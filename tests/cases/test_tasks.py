"""My tasks: the cases waiting on the user now, for every role, overdue
first, each with its next step; the selector is the exact inverse of
case_responsible_users (plus open votes), and the navigation's count is one
query."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from cases.models import Case
from cases.selectors import case_responsible_users, cases_waiting_on, cases_waiting_on_count
from cases.workflow import CaseState
from deliberation.services import vote_record
from panel.models import ExpertPanel
from tests import flows
from tests.conftest import built_once_per_module, for_one_test
from tests.factories import CaseFactory, DisciplineBodyFactory, UnitFactory, UserFactory
from tests.flows import person, staff_for

pytestmark = pytest.mark.django_db

TASKS = reverse("cases:tasks")
DAY = datetime.timedelta(days=1)


def waiting(user) -> list[int]:
    return list(cases_waiting_on(user).values_list("pk", flat=True))


def case_in(unit, state, created_by, **fields) -> Case:
    """A case row in a stage, without the workflow (selector tests only)."""
    return CaseFactory(unit=unit, state=state, created_by=created_by, **fields)


@pytest.fixture
def staff(unit):
    return staff_for(unit)


@pytest.fixture
def liaison(unit):
    return person(None, Role.DISCIPLINE_LIAISON, "吴联络", discipline_body=unit.discipline_body)


@pytest.fixture
def outsider(other_unit):
    """Someone of another unit holding every role: never waited on here."""
    return UserFactory(
        display_name="外人",
        units=[other_unit],
        roles=list(Role.values),
        discipline_body=other_unit.discipline_body,
    )


# --- per role, through the workflow -------------------------------------------------


# The flows two tests each start from, each in a unit of its own: the
# fixtures' `unit` and its people stay out of them.
def _flows():
    return {
        "investigating": flows.lianyungang_case_at(CaseState.INVESTIGATING),
        "expert_review": flows.taian_case_at(CaseState.EXPERT_REVIEW),
    }


_flows_built = built_once_per_module(_flows)


@pytest.fixture
def investigating(_flows_built, settings):
    """A Lianyungang case under investigation, with its lead investigator."""
    return for_one_test(_flows_built, settings, "investigating")


@pytest.fixture
def expert_review(_flows_built, settings):
    """A Tai'an case in expert review, no panel formed yet."""
    return for_one_test(_flows_built, settings, "expert_review")


def test_an_inspector_is_waited_on_for_their_draft(client):
    flow = flows.new_case(flows.LIANYUNGANG)
    client.force_login(flow.staff.inspector)
    content = client.get(TASKS).content.decode()
    assert flow.case.display_number in content
    assert "补全登记信息并登记立案" in content
    assert waiting(flow.staff.investigator) == []


def test_the_lead_investigator_is_waited_on_during_the_investigation(client, investigating):
    flow = investigating
    other_investigator = person(flow.staff.unit, Role.INVESTIGATOR, "另一调查")
    assert waiting(flow.staff.investigator) == [flow.case.pk]
    assert waiting(other_investigator) == []  # the case has its lead
    assert waiting(flow.staff.inspector) == []
    client.force_login(flow.staff.investigator)
    content = client.get(TASKS).content.decode()
    assert "调查核实，撰写并签发调查报告" in content
    assert reverse("investigation:report", args=[flow.case.pk]) in content


def test_every_investigator_of_the_unit_is_waited_on_without_a_lead(staff, other_unit):
    case = case_in(staff.unit, CaseState.INVESTIGATING, staff.inspector)
    colleague = person(staff.unit, Role.INVESTIGATOR, "另一调查")
    elsewhere = person(other_unit, Role.INVESTIGATOR, "外单位调查")
    assert waiting(staff.investigator) == [case.pk]
    assert waiting(colleague) == [case.pk]
    assert waiting(elsewhere) == []


def test_expert_review_waits_on_the_inspector_then_on_the_panel(client, expert_review):
    flow = expert_review
    inspector, experts = flow.staff.inspector, flow.staff.experts
    assert waiting(inspector) == [flow.case.pk]
    client.force_login(inspector)
    assert "组建专家组" in client.get(TASKS).content.decode()
    flows.form_panel(flow)
    assert waiting(inspector) == []
    assert all(waiting(expert) == [flow.case.pk] for expert in experts)
    client.force_login(experts[0])
    content = client.get(TASKS).content.decode()
    assert "出具专家论证意见" in content
    assert reverse("panel:expert", args=[flow.case.pk]) in content


def test_deliberation_waits_on_the_chair_and_on_members_yet_to_vote(client):
    flow = flows.lianyungang_case_at(CaseState.DELIBERATION)
    chair, first, second = flow.staff.chair, *flow.staff.leaders
    assert waiting(chair) == [flow.case.pk]
    assert waiting(first) == []  # no meeting yet: nothing to vote on
    flows.deliberation_facts(flow)
    flows.convene(flow)
    determination = flows.propose(flow)
    assert waiting(first) == [flow.case.pk]
    assert waiting(second) == [flow.case.pk]
    client.force_login(first)
    content = client.get(TASKS).content.decode()
    assert "对责任认定表态" in content
    assert reverse("deliberation:deliberation", args=[flow.case.pk]) in content
    vote_record(actor=first, determination=determination, position="agree", reasoning="同意。")
    assert waiting(first) == []
    assert waiting(second) == [flow.case.pk]
    client.force_login(chair)
    assert "召集集体研究，主持表决" in client.get(TASKS).content.decode()


def test_a_registered_case_waits_on_the_investigators_who_can_start_it(client):
    # Routing fix: only an investigator may start the investigation, so the
    # registered case waits on the unit's investigators, not the inspector.
    flow = flows.lianyungang_case_at(CaseState.REGISTERED)
    assert waiting(flow.staff.investigator) == [flow.case.pk]
    assert waiting(flow.staff.inspector) == []
    assert case_responsible_users(flow.reload()) == [flow.staff.investigator]
    client.force_login(flow.staff.investigator)
    content = client.get(TASKS).content.decode()
    assert "开始调查核实" in content
    assert "督促调查人员开始调查核实" not in content


def test_after_the_panel_concludes_the_lead_investigator_must_submit(client, expert_review):
    # Routing fix: once the panel's written opinion is in, the experts have
    # nothing left to do and the lead investigator who must submit is named.
    flow = expert_review
    flows.form_panel(flow)
    flows.give_opinions(flow)
    flows.conclude_panel(flow)
    assert all(waiting(expert) == [] for expert in flow.staff.experts)
    assert waiting(flow.staff.inspector) == []
    assert waiting(flow.staff.investigator) == [flow.case.pk]
    assert case_responsible_users(flow.reload()) == [flow.staff.investigator]
    client.force_login(flow.staff.investigator)
    detail = client.get(reverse("cases:detail", args=[flow.case.pk])).content.decode()
    assert "本阶段等待：" + flow.staff.investigator.get_full_name() in detail
    assert 'data-testid="my-step"' in detail and "提交集体研究" in detail


def test_a_decided_case_waits_on_its_inspector():
    flow = flows.lianyungang_case_at(CaseState.DECIDED)
    assert waiting(flow.staff.inspector) == [flow.case.pk]
    assert waiting(flow.staff.chair) == []
    assert all(waiting(leader) == [] for leader in flow.staff.leaders)


def test_a_filed_case_waits_on_its_inspector_and_the_liaison(client, staff, liaison):
    case = case_in(staff.unit, CaseState.FILED, staff.inspector)
    other_body = person(
        None, Role.DISCIPLINE_LIAISON, "外联络", discipline_body=DisciplineBodyFactory()
    )
    assert waiting(staff.inspector) == [case.pk]
    assert waiting(liaison) == [case.pk]
    assert waiting(other_body) == []
    client.force_login(liaison)
    content = client.get(TASKS).content.decode()
    assert "下载并签收备案材料" in content
    assert reverse("filings:inbox") in content
    # The liaison belongs to no unit: the number is shown, not a link to a page
    # they cannot open.
    assert reverse("cases:detail", args=[case.pk]) not in content


def test_closed_and_withdrawn_cases_wait_on_nobody(staff, liaison):
    for state in (CaseState.CLOSED, CaseState.WITHDRAWN):
        case_in(staff.unit, state, staff.inspector)
    for user in (staff.inspector, staff.investigator, staff.chair, liaison):
        assert waiting(user) == []


def test_an_inactive_user_is_waited_on_for_nothing(staff):
    case_in(staff.unit, CaseState.DRAFT, staff.inspector)
    staff.inspector.is_active = False
    assert waiting(staff.inspector) == []
    assert cases_waiting_on_count(staff.inspector) == 0


# --- the inverse of case_responsible_users --------------------------------------------


def test_it_is_the_inverse_of_case_responsible_users(staff, liaison, outsider, other_unit):
    inspector, investigator, experts = staff.inspector, staff.investigator, staff.experts
    cases = [case_in(staff.unit, state, inspector) for state in CaseState.values]
    cases.append(
        case_in(staff.unit, CaseState.INVESTIGATING, inspector, lead_investigator=investigator)
    )
    with_panel = case_in(staff.unit, CaseState.EXPERT_REVIEW, inspector)
    panel = ExpertPanel.objects.create(case=with_panel, question="是否依法履职？")
    panel.members.set(experts[:2])
    cases.append(with_panel)
    cases.append(case_in(other_unit, CaseState.DELIBERATION, outsider))  # another unit's
    people = [
        inspector,
        investigator,
        *experts,
        staff.chair,
        *staff.leaders,
        liaison,
        outsider,
        person(staff.unit, Role.INVESTIGATOR, "另一调查"),
    ]
    for case in cases:
        responsible = set(case_responsible_users(Case.objects.get(pk=case.pk)))
        for user in people:
            assert (case.pk in waiting(user)) == (user in responsible), (case.state, user)


# --- order, page and navigation ------------------------------------------------------------


def test_overdue_cases_come_first_then_by_deadline(client, staff):
    now = timezone.now()
    later = case_in(staff.unit, CaseState.DRAFT, staff.inspector, deadline_at=now + 9 * DAY)
    none = case_in(staff.unit, CaseState.DRAFT, staff.inspector, deadline_at=None)
    overdue = case_in(staff.unit, CaseState.DRAFT, staff.inspector, deadline_at=now - 2 * DAY)
    soon = case_in(staff.unit, CaseState.DRAFT, staff.inspector, deadline_at=now + DAY)
    assert waiting(staff.inspector) == [overdue.pk, soon.pk, later.pk, none.pk]
    client.force_login(staff.inspector)
    content = client.get(TASKS).content.decode()
    assert content.count('data-testid="overdue"') == 1
    assert content.index(f'data-testid="task-{overdue.pk}"') < content.index(
        f'data-testid="task-{soon.pk}"'
    )
    assert "即将到期" in content and "无期限" in content


def test_a_user_with_nothing_waiting_sees_an_empty_list(client, staff):
    client.force_login(staff.investigator)
    response = client.get(TASKS)
    assert response.status_code == 200
    assert "目前没有等待您处理的案件" in response.content.decode()


def test_the_navigation_shows_the_count_on_every_page(client, staff):
    for _ in range(3):
        case_in(staff.unit, CaseState.DRAFT, staff.inspector)
    case_in(staff.unit, CaseState.CLOSED, staff.inspector)
    client.force_login(staff.inspector)
    for url in (reverse("cases:list"), TASKS, reverse("exemptions:index")):
        response = client.get(url)
        assert response.context["nav"]["tasks"] == 3
        assert 'data-testid="task-count">3<' in response.content.decode()
    client.force_login(staff.investigator)
    assert 'data-testid="task-count"' not in client.get(TASKS).content.decode()


def test_the_count_is_one_query_and_matches_the_list(staff, liaison):
    for state in (CaseState.DRAFT, CaseState.FILED, CaseState.DECIDED):
        case_in(staff.unit, state, staff.inspector)
    for user, expected in ((staff.inspector, 3), (liaison, 1), (staff.chair, 0)):
        user.role_codes(), user.unit_ids()  # loaded once per request anyway
        with CaptureQueriesContext(connection) as queries:
            count = cases_waiting_on_count(user)
        assert len(queries) == 1
        assert count == expected == len(waiting(user))


def test_another_units_tasks_never_show(client, staff, other_unit):
    foreign = case_in(other_unit, CaseState.DELIBERATION, staff.inspector)
    case_in(UnitFactory(), CaseState.INVESTIGATING, staff.inspector)
    assert foreign.pk not in waiting(staff.chair)
    assert waiting(staff.investigator) == []


# --- the case page -------------------------------------------------------------------


def test_the_case_page_names_the_users_step_and_who_it_waits_on(client, investigating):
    flow = investigating
    Case.objects.filter(pk=flow.case.pk).update(deadline_at=timezone.now() - DAY)
    detail = reverse("cases:detail", args=[flow.case.pk])
    client.force_login(flow.staff.investigator)
    content = client.get(detail).content.decode()
    assert 'data-testid="my-step"' in content
    assert "调查核实，撰写并签发调查报告" in content
    assert "本阶段等待：" + flow.staff.investigator.get_full_name() in content
    assert "已超期" in content
    client.force_login(flow.staff.inspector)
    content = client.get(detail).content.decode()
    assert 'data-testid="my-step"' not in content
    assert "本阶段等待：" in content
