"""The regulations' own words where cases are worked: fact labels on the fact
form, the consistency flags on the matrix and the meeting proposal, and the
outcome of decisions and filing notices worded as the article words its effect."""

import pytest
from django.urls import reverse

from cases.assessment import clause_matrix
from cases.workflow import CaseState, Stage
from deliberation.services import vote_close
from documents.builders.decision import decision_context, filing_notice_context
from tests.flows import (
    convene,
    lianyungang_case_at,
    propose,
    record_facts,
    taian_case_at,
    vote_all,
)

pytestmark = pytest.mark.django_db

NOT_A_FAULT = "不认定为行政执法过错行为，不予追究行政执法责任"


@pytest.fixture
def lyg_deliberation(catalogs):
    flow = lianyungang_case_at(CaseState.DELIBERATION)
    record_facts(
        flow,
        Stage.DELIBERATION,
        {"fault_established": True, "dissent_recorded": True, "consequence": "none"},
        flow.staff.leaders[0],
    )
    return flow


def _decided_exempt(flow):
    convene(flow)
    vote_all(flow, propose(flow, outcome="exempt", cited_clauses=["8.16"], measure=""))
    vote_close(actor=flow.staff.chair, meeting=flow.meeting)
    flow.reload()
    assert flow.state == CaseState.DECIDED
    return flow


def test_the_matrix_flags_a_fault_beside_a_not_a_fault_clause_and_without_harm(lyg_deliberation):
    [matrix] = clause_matrix(lyg_deliberation.case)
    assert matrix.flags[Stage.DELIBERATION] == [
        # Carried from the investigation: neither intent nor gross negligence.
        "fault_without_intent_or_gross_negligence",
        "fault_established_despite_not_a_fault_clause",
        "fault_without_harmful_consequence",
    ]
    assert matrix.outcomes[Stage.DELIBERATION] == "exempt"  # the flags do not decide


def test_the_meeting_proposal_shows_the_flags_in_words(client, lyg_deliberation):
    flow = lyg_deliberation
    convene(flow)
    client.force_login(flow.staff.leaders[0])
    html = client.get(reverse("deliberation:deliberation", args=[flow.case.pk])).content.decode()
    so = flow.officer.pk
    assert f'data-testid="proposal-flag-{so}-fault_established_despite_not_a_fault_clause"' in html
    assert f'data-testid="proposal-flag-{so}-fault_without_harmful_consequence"' in html
    assert "依该条规定不认定为行政执法过错行为——两项认定相互矛盾" in html
    assert "未造成危害后果或者不良影响——与连云港办法第七条的过错定义不一致" in html


def test_a_taian_case_has_no_such_flags(catalogs):
    flow = taian_case_at(CaseState.DELIBERATION)
    record_facts(
        flow,
        Stage.DELIBERATION,
        {"fault_established": True, "consequence": "none", "court_enforcement_applied": True},
        flow.staff.leaders[0],
    )
    [matrix, *_] = clause_matrix(flow.case)
    assert matrix.flags[Stage.DELIBERATION] == []


def test_a_lianyungang_decision_and_notice_say_the_conduct_is_not_a_fault(lyg_deliberation):
    flow = _decided_exempt(lyg_deliberation)
    [officer] = decision_context(flow.case)["officers"]
    assert officer.outcome_phrase == NOT_A_FAULT
    [officer] = filing_notice_context(flow.case)["officers"]
    assert officer.outcome_phrase == NOT_A_FAULT


def test_a_taian_exemption_keeps_art_6_wording(catalogs):
    flow = taian_case_at(CaseState.DECIDED)
    officers = decision_context(flow.case)["officers"]
    assert {o.outcome_phrase for o in officers} == {"不予追究责任"}


def _facts_page(client, flow, stage):
    client.force_login(flow.staff.inspector)
    response = client.get(reverse("cases:facts", args=[flow.case.pk, stage]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_fact_form_reads_in_the_case_s_regulation(client, catalogs):
    lyg = _facts_page(client, lianyungang_case_at(CaseState.REGISTERED), Stage.INTAKE)
    assert "及时主动自行纠正或者经批评教育后及时改正" in lyg
    assert "（主动）" not in lyg
    taian = _facts_page(client, taian_case_at(CaseState.REGISTERED), Stage.INTAKE)
    assert "及时自行纠正或经批评教育后改正" in taian
    assert "因审慎监管、技术条件、监管手段、执法装备等客观原因未能及时发现" in taian


def test_the_fact_form_no_longer_offers_a_split_fact(client, catalogs):
    html = _facts_page(client, taian_case_at(CaseState.REGISTERED), Stage.INTAKE)
    assert 'value="clue_transferred_or_reported"' not in html
    assert 'value="clue_transferred"' in html
    assert 'value="violation_reported"' in html
