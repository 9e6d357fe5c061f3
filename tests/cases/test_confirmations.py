"""Irreversible moves ask for confirmation naming the consequence (issue 15,
item 7): posted without `confirm`, each is refused with a clear message and
changes nothing; withdrawal sits in the page's danger zone."""

import pytest
from django.urls import reverse

from cases import errors as cases_errors
from cases.confirmations import CONSEQUENCES
from cases.models import Case
from cases.workflow import CaseState
from deliberation.models import Meeting
from filing.models import Publication
from investigation.models import InvestigationReport
from panel.models import ExpertPanel
from tests import flows
from tests.conftest import built_once_per_module, for_one_test
from tests.flows import nothing_changes

pytestmark = pytest.mark.django_db


def _missing(action):
    return cases_errors.CONFIRMATION_MISSING % {"consequence": CONSEQUENCES[action]}


def _state(flow):
    return Case.objects.values_list("state", flat=True).get(pk=flow.case.pk)


# The Tai'an flows several tests start from, each in a unit of its own; a
# state only one test starts from is built by that test.
SHARED = (CaseState.INVESTIGATING, CaseState.DECIDED, CaseState.FILED)


def _flows():
    return {state: flows.taian_case_at(state) for state in SHARED}


_flows_built = built_once_per_module(_flows)


@pytest.fixture
def case_at(_flows_built, settings):
    """A shared Tai'an flow at a state: the test's copy of that flow alone."""
    return lambda state: for_one_test(_flows_built, settings, state)


@pytest.mark.parametrize(
    ("state", "name", "actor"),
    [
        (CaseState.INVESTIGATING, "withdraw", "inspector"),
        (CaseState.DECIDED, "file", "inspector"),
        (CaseState.FILED, "close", "inspector"),
    ],
)
def test_a_move_posted_without_confirmation_is_refused_and_changes_nothing(
    client, case_at, state, name, actor
):
    flow = case_at(state)
    client.force_login(getattr(flow.staff, actor))
    url = reverse("cases:transition", args=[flow.case.pk, name])
    with nothing_changes(flow.case):
        response = client.post(url, {"reason": "重复登记"}, follow=True)
    assert _missing(name) in response.content.decode()
    assert _state(flow) == state


def test_a_confirmed_withdrawal_goes_ahead(client, case_at):
    flow = case_at(CaseState.INVESTIGATING)
    client.force_login(flow.staff.inspector)
    url = reverse("cases:transition", args=[flow.case.pk, "withdraw"])
    response = client.post(url, {"reason": "重复登记", "confirm": "1"}, follow=True)
    assert "案件已进入“已撤销”阶段。" in response.content.decode()
    assert _state(flow) == CaseState.WITHDRAWN


def test_a_confirmed_filing_goes_ahead(client, case_at):
    flow = case_at(CaseState.DECIDED)
    client.force_login(flow.staff.inspector)
    client.post(reverse("cases:transition", args=[flow.case.pk, "file"]), {"confirm": "1"})
    assert _state(flow) == CaseState.FILED


def test_a_move_that_can_be_undone_asks_nothing(client):
    flow = flows.taian_case_at(CaseState.REGISTERED)
    client.force_login(flow.staff.investigator)
    client.post(reverse("cases:transition", args=[flow.case.pk, "start_investigation"]))
    assert _state(flow) == CaseState.INVESTIGATING


def test_withdrawal_sits_in_the_danger_zone_not_in_the_next_step_panel(client, case_at):
    flow = case_at(CaseState.INVESTIGATING)
    client.force_login(flow.staff.inspector)
    page = client.get(reverse("cases:detail", args=[flow.case.pk])).content.decode()
    withdraw_url = reverse("cases:transition", args=[flow.case.pk, "withdraw"])
    assert page.count(f'action="{withdraw_url}"') == 1
    zone = page.index('data-testid="danger-zone"')
    assert page.index(f'action="{withdraw_url}"') > zone
    assert "危险操作" in page[zone - 200 :]
    assert f'data-confirm="撤销案件：{CONSEQUENCES["withdraw"]}"' in page
    assert 'name="confirm"' in page[zone:]


def test_file_and_close_buttons_carry_their_consequence(client, case_at):
    flow = case_at(CaseState.DECIDED)
    client.force_login(flow.staff.inspector)
    page = client.get(reverse("cases:detail", args=[flow.case.pk])).content.decode()
    assert f'data-confirm="报纪检监察机关备案：{CONSEQUENCES["file"]}"' in page


def test_publishing_without_confirmation_is_refused(client, case_at):
    flow = case_at(CaseState.FILED)
    client.force_login(flow.staff.inspector)
    url = reverse("filing:publication_create", args=[flow.case.pk])
    with nothing_changes(flow.case):
        response = client.post(url, {"scope": "unit"}, follow=True)
    assert _missing("publish") in response.content.decode()
    assert not Publication.objects.filter(case=flow.case).exists()
    client.post(url, {"scope": "unit", "confirm": "1"})
    assert _state(flow) == CaseState.PUBLISHED


def test_signing_the_report_off_without_confirmation_is_refused(client, case_at):
    flow = case_at(CaseState.INVESTIGATING)
    flows.find_facts(flow)
    report = flows.write_report(flow)
    client.force_login(flow.staff.investigator)
    url = reverse("investigation:report_sign_off", args=[flow.case.pk])
    with nothing_changes(flow.case):
        response = client.post(url, {"version": report.version}, follow=True)
    assert _missing("report_sign_off") in response.content.decode()
    assert InvestigationReport.objects.get(case=flow.case).signed_off_at is None
    client.post(url, {"version": report.version, "confirm": "1"})
    assert InvestigationReport.objects.get(case=flow.case).signed_off_at is not None


def test_concluding_the_panel_without_confirmation_is_refused(client):
    flow = flows.taian_case_at(CaseState.EXPERT_REVIEW)
    flows.form_panel(flow)
    flows.give_opinions(flow)
    client.force_login(flow.staff.experts[0])
    url = reverse("panel:expert_conclude", args=[flow.case.pk])
    data = {"conclude-conclusion": "多数专家认为符合。", "conclude-dissent": "一名专家不同意。"}
    with nothing_changes(flow.case):
        response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["conclude_form"].errors["confirm"] == [_missing("panel_conclude")]
    assert ExpertPanel.objects.get(case=flow.case).concluded_at is None
    client.post(url, data | {"conclude-confirm": "on"})
    assert ExpertPanel.objects.get(case=flow.case).concluded_at is not None


def test_announcing_the_vote_without_confirmation_is_refused(client):
    flow = flows.taian_case_at(CaseState.DELIBERATION)
    flows.convene(flow)
    flows.vote_all(flow, flows.propose(flow))
    client.force_login(flow.staff.chair)
    url = reverse("deliberation:vote_close", args=[flow.case.pk, flow.meeting.pk])
    with nothing_changes(flow.case):
        response = client.post(url, follow=True)
    assert _missing("vote_close") in response.content.decode()
    assert Meeting.objects.get(pk=flow.meeting.pk).is_open
    page = response.content.decode()
    assert 'data-confirm="宣布表决结果：' in page
    client.post(url, {"confirm": "1"})
    assert _state(flow) == CaseState.DECIDED
