"""The personnel query (人事查询): every determination concerning an officer
in a period and whether it may weigh on appraisal, awards and promotion."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import SubjectOfficer
from tests.conftest import built_once_per_module, for_one_test
from tests.factories import OfficerFactory
from tests.vindication.conftest import decide_case
from vindication import errors as vindication_errors
from vindication.selectors import Effect, personnel_determinations

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 15)
MAR = datetime.date(2026, 3, 10)
JUN = datetime.date(2026, 6, 20)
PERIOD = {"date_from": datetime.date(2026, 2, 1), "date_to": datetime.date(2026, 12, 31)}


def _history_cases():
    # Each decided for the officer its builder makes: `org` is made per test
    # (its units and certificate numbers are unique), so each test gives the
    # cases to its own org's officers.
    return {
        "exempt": decide_case("exempt", decided_on=MAR),
        "liable": decide_case("liable", decided_on=JUN),
        "early": decide_case("mitigated", decided_on=JAN),
        "colleague": decide_case("no_fault", decided_on=MAR),
    }


_history_built = built_once_per_module(_history_cases)


@pytest.fixture
def history(org, _history_built, settings):
    """张执法: exempt in March, liable in June, mitigated in January (outside
    the period); 刘执法: no fault in March."""
    cases = for_one_test(_history_built, settings)
    for key, flow in cases.items():
        # What decide_case(officer=...) does, here after the decision: the
        # query finds the determinations through the subject officer.
        officer = org.colleague if key == "colleague" else org.officer
        SubjectOfficer.objects.filter(pk=flow.officer.pk).update(officer=officer)
        flow.subject_officers = list(flow.case.subject_officers.order_by("id"))
        flow.reload()
    return cases


def test_exempt_does_not_weigh_and_liable_may(org, history):
    entries = personnel_determinations(officer=org.officer, **PERIOD)
    assert [e.case.pk for e in entries] == [history["exempt"].case.pk, history["liable"].case.pk]
    exempt, liable = entries
    assert exempt.effect == Effect.NONE and exempt.effect_label == "不受影响"
    assert exempt.decided_on == MAR
    assert exempt.article.number == 13
    assert "第十三条" in exempt.explanation and "不受影响" in exempt.explanation
    assert liable.effect == Effect.MAY_AFFECT and liable.effect_label == "可能影响"
    assert liable.outcome_label == "追究责任"
    assert liable.article is None


def test_outside_the_period_is_left_out(org, history):
    entries = personnel_determinations(
        officer=org.officer, date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 1, 31)
    )
    assert [e.case.pk for e in entries] == [history["early"].case.pk]
    (early,) = entries
    assert early.effect == Effect.MAY_AFFECT
    assert early.measure_label == "批评教育"
    assert "批评教育" in early.explanation
    # The period's bounds are inclusive.
    assert personnel_determinations(officer=org.officer, date_from=JUN, date_to=JUN)[0].case == (
        history["liable"].case
    )


def test_no_fault_does_not_weigh(org, history):
    (entry,) = personnel_determinations(officer=org.colleague, **PERIOD)
    assert entry.effect == Effect.NONE
    assert entry.outcome_label == "不构成执法过错"


def test_a_transfer_may_weigh_under_the_organs_decision(org, decided):
    decided("transferred", officer=org.colleague, decided_on=MAR)
    (entry,) = personnel_determinations(officer=org.colleague, **PERIOD)
    assert entry.effect == Effect.MAY_AFFECT
    assert "以其处理结果为准" in entry.explanation


def test_a_determination_of_an_undecided_case_is_not_final(org, decided):
    """One officer adopted, the other still to be decided: the case is in
    deliberation and the adopted determination is not final yet."""
    from deliberation.services import vote_close
    from tests.flows import convene, deliberation_facts, propose, taian_case_at, vote_all

    flow = taian_case_at("deliberation", disputed=False, officers=2)
    SubjectOfficer.objects.filter(pk=flow.subject_officers[0].pk).update(officer=org.colleague)
    flow.reload()
    deliberation_facts(flow)
    convene(flow)
    vote_all(flow, propose(flow, flow.subject_officers[0]))
    vote_close(actor=flow.staff.chair, meeting=flow.meeting)
    assert flow.state == "deliberation"
    today = timezone.localtime(flow.case.determinations.get().decided_at).date()
    (entry,) = personnel_determinations(officer=org.colleague, date_from=today, date_to=today)
    assert entry.effect == Effect.PENDING


def test_an_officer_without_determinations(org):
    assert personnel_determinations(officer=org.county_officer, **PERIOD) == []


def test_the_selector_runs_two_queries_however_many_rows(org, decided, django_assert_num_queries):
    decided("exempt", officer=org.colleague, decided_on=MAR)
    with django_assert_num_queries(2):
        assert len(personnel_determinations(officer=org.colleague, **PERIOD)) == 1
    decided("liable", officer=org.colleague, decided_on=JUN)
    decided("mitigated", officer=org.colleague, decided_on=JUN)
    with django_assert_num_queries(2):
        assert len(personnel_determinations(officer=org.colleague, **PERIOD)) == 3


# --- the page --------------------------------------------------------------------------------


def _query(client, text, date_from="2026-02-01", date_to="2026-12-31"):
    return client.get(
        reverse("vindication:personnel_query"),
        {"officer_query": text, "date_from": date_from, "date_to": date_to},
    )


@pytest.mark.parametrize("who", ["leader", "chair", "personnel"])
def test_leadership_and_personnel_run_it(client, org, who):
    client.force_login(getattr(org, who))
    response = _query(client, "37090011")
    assert response.status_code == 200
    assert response.context["officer"] == org.officer
    assert response.context["entries"] == []
    assert 'data-testid="no-entries"' in response.content.decode()


def test_the_result_says_what_weighs(client, org, history):
    client.force_login(org.personnel)
    content = _query(client, "37090011").content.decode()
    assert "✓ 不受影响" in content and "! 可能影响" in content
    assert history["exempt"].case.number in content
    assert history["early"].case.number not in content


@pytest.mark.parametrize("who", ["inspector", "expert", "officer_user"])
def test_others_may_not(client, org, who):
    client.force_login(getattr(org, who))
    assert client.get(reverse("vindication:personnel_query")).status_code == 403


def test_it_searches_only_the_units_the_user_may_see(client, org):
    OfficerFactory(name="林执法", certificate_number="37099999", unit=org.other)
    client.force_login(org.leader)
    response = _query(client, "林执法")
    assert str(vindication_errors.OFFICER_NOT_FOUND) in str(response.context["form"].errors)
    response = _query(client, "杨执法")  # the county below
    assert response.context["officer"] == org.county_officer
    client.force_login(org.personnel)  # personnel see their own unit only
    response = _query(client, "杨执法")
    assert response.context["officer"] is None


def test_several_matches_are_offered_to_choose(client, org):
    client.force_login(org.leader)
    response = _query(client, "执法")
    assert response.context["officer"] is None
    assert {o.pk for o in response.context["candidates"]} >= {org.officer.pk, org.colleague.pk}
    assert "officer_query=37090011" in response.content.decode()


def test_a_reversed_period_is_refused_next_to_the_field(client, org):
    client.force_login(org.leader)
    response = _query(client, "37090011", date_from="2026-12-31", date_to="2026-01-01")
    assert str(vindication_errors.DATE_RANGE_REVERSED) in str(
        response.context["form"].errors["date_to"]
    )
    assert response.context["entries"] is None


def test_the_page_runs_a_fixed_number_of_queries(client, org, decided):
    client.force_login(org.leader)
    decided("exempt", officer=org.colleague, decided_on=MAR)
    _query(client, "37090012")  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        assert len(_query(client, "37090012").context["entries"]) == 1
    decided("liable", officer=org.colleague, decided_on=JUN)
    decided("mitigated", officer=org.colleague, decided_on=JUN)
    with CaptureQueriesContext(connection) as three:
        assert len(_query(client, "37090012").context["entries"]) == 3
    assert len(one) == len(three)
