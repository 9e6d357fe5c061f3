"""Facts carried forward (issue 15, item 6): each fact-finding stage starts
from the facts the previous one established, marked as carried; the stage
confirms them all at once or amends one with a reason; the divergence matrix
shows only real differences; fact forms list only the regulation's facts,
grouped by the clauses they serve."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEventType
from cases import errors as cases_errors
from cases.assessment import OUTCOME_FACTS, assess_officer, clause_matrix, fact_groups
from cases.models import FactRecord
from cases.selectors import case_detail
from cases.services.facts import fact_record, facts_confirm_carried
from cases.workflow import CaseState, Stage
from exemptions.selectors import catalog_for_version, facts_by_key
from tests import flows
from tests.flows import new_events, nothing_changes

pytestmark = pytest.mark.django_db


def _records(flow, stage):
    return {
        r.fact_key: r
        for r in FactRecord.objects.filter(case=flow.case, stage=stage).select_related(
            "recorded_by", "confirmed_by"
        )
    }


def _row(flow, ref):
    matrix = clause_matrix(case_detail(flow.case.pk))[0]
    return next(row for row in matrix.rows if row.ref == ref)


# --- carrying ---------------------------------------------------------------------------


def test_deliberation_starts_from_the_investigation_facts_marked_carried():
    flow = flows.lianyungang_case_at(CaseState.INVESTIGATING)
    flows.finish_investigation(flow)
    found = _records(flow, Stage.INVESTIGATION)
    with new_events() as events:
        flows.submit(flow)
    carried = _records(flow, Stage.DELIBERATION)
    assert set(carried) == set(found) == set(flows.LIANYUNGANG.investigation_facts)
    assert found["fault_established"].recorded_by == flow.staff.investigator
    # consequence came from intake and the investigation confirmed it.
    assert found["consequence"].recorded_by == flow.staff.inspector
    for key, record in carried.items():
        assert record.value == found[key].value
        assert record.carried_from == Stage.INVESTIGATION
        # Who established it and when stay those of the source finding.
        assert record.recorded_by == found[key].recorded_by
        assert record.recorded_at == found[key].recorded_at
        assert record.awaits_confirmation
    carry = [e for e in events if e.event_type == AuditEventType.FACT_RECORDED]
    assert [e.data["action"] for e in carry] == ["carry_forward"]
    assert carry[0].data["count"] == len(found)
    # No re-entry: the deliberation's evaluation already reads the facts.
    assessment = assess_officer(case_detail(flow.case.pk), flow.officer, Stage.DELIBERATION)
    assert assessment.outcome == "mitigated"


def test_the_investigation_starts_from_the_intake_facts():
    flow = flows.lianyungang_case_at(CaseState.REGISTERED)
    flows.start_investigation(flow)
    carried = _records(flow, Stage.INVESTIGATION)
    assert {k: r.value for k, r in carried.items()} == flows.LIANYUNGANG.intake_facts
    assert all(r.carried_from == Stage.INTAKE for r in carried.values())
    assert all(r.recorded_by == flow.staff.inspector for r in carried.values())


def test_a_case_decided_at_deliberation_needs_no_fact_re_entry():
    """Submit, confirm the carried facts, convene, propose, vote: decided."""
    flow = flows.lianyungang_case_at(CaseState.DELIBERATION)
    assert facts_confirm_carried(
        actor=flow.staff.leaders[0], case=flow.case, stage=Stage.DELIBERATION
    ) == len(flows.LIANYUNGANG.investigation_facts)
    flows.convene(flow)
    flows.vote_all(flow, flows.propose(flow))
    flows.vote_close(actor=flow.staff.chair, meeting=flow.meeting)
    assert flow.reload().state == CaseState.DECIDED
    assert flow.determinations[0].engine_outcome == "mitigated"


# --- confirming ---------------------------------------------------------------------------


def test_the_stage_confirms_every_carried_fact_at_once_in_one_audited_call():
    flow = flows.lianyungang_case_at(CaseState.DELIBERATION)
    leader = flow.staff.leaders[0]
    with new_events() as events:
        count = facts_confirm_carried(actor=leader, case=flow.case, stage=Stage.DELIBERATION)
    records = _records(flow, Stage.DELIBERATION)
    assert count == len(records) == 5
    assert all(r.confirmed_by == leader and r.confirmed_at for r in records.values())
    assert not any(r.awaits_confirmation for r in records.values())
    assert flows.event_types(events) == [AuditEventType.FACT_RECORDED]
    assert events[0].data["action"] == "confirm_carried"
    assert set(events[0].data["facts"]) == set(records)
    # Nothing is left to confirm: a second confirmation is refused.
    with nothing_changes(flow.case), pytest.raises(ValidationError) as error:
        facts_confirm_carried(actor=leader, case=flow.case, stage=Stage.DELIBERATION)
    assert error.value.messages == [str(cases_errors.NOTHING_TO_CONFIRM)]


def test_confirming_is_refused_to_whoever_may_not_record_the_stage_facts():
    flow = flows.lianyungang_case_at(CaseState.DELIBERATION)
    with nothing_changes(flow.case), pytest.raises(PermissionDenied):
        facts_confirm_carried(
            actor=flow.staff.investigator, case=flow.case, stage=Stage.DELIBERATION
        )
    assert all(r.awaits_confirmation for r in _records(flow, Stage.DELIBERATION).values())


def test_confirming_is_refused_once_the_stage_is_over():
    flow = flows.lianyungang_case_at(CaseState.DELIBERATION)
    with nothing_changes(flow.case), pytest.raises(ValidationError) as error:
        facts_confirm_carried(
            actor=flow.staff.investigator, case=flow.case, stage=Stage.INVESTIGATION
        )
    assert error.value.messages == [
        cases_errors.CONFIRM_NOT_IN_STAGE % {"state": "集体研究", "stage": "调查核实"}
    ]


def test_recording_a_carried_value_again_confirms_that_one_fact():
    flow = flows.lianyungang_case_at(CaseState.DELIBERATION)
    leader = flow.staff.leaders[0]
    fact_record(
        actor=leader,
        case=flow.case,
        stage=Stage.DELIBERATION,
        fact_key="admitted_and_cooperated",
        value=True,
    )
    records = _records(flow, Stage.DELIBERATION)
    same = records["admitted_and_cooperated"]
    assert same.carried_from == Stage.INVESTIGATION and same.confirmed_by == leader
    assert same.recorded_by == flow.staff.investigator  # still the source finding
    assert records["fault_established"].awaits_confirmation


# --- amending ---------------------------------------------------------------------------


def test_a_carried_fact_is_amended_only_with_a_reason():
    flow = flows.lianyungang_case_at(CaseState.DELIBERATION)
    leader = flow.staff.leaders[0]
    with nothing_changes(flow.case), pytest.raises(ValidationError) as error:
        fact_record(
            actor=leader,
            case=flow.case,
            stage=Stage.DELIBERATION,
            fact_key="admitted_and_cooperated",
            value=False,
            reason="   ",
        )
    assert error.value.message_dict == {
        "reason": [cases_errors.CARRIED_FACT_REASON_MISSING % {"stage": "调查核实"}]
    }
    kept = _records(flow, Stage.DELIBERATION)["admitted_and_cooperated"]
    assert (kept.value, kept.carried_from) == (True, Stage.INVESTIGATION)
    # Making it unknown again is an amendment too.
    with nothing_changes(flow.case), pytest.raises(ValidationError):
        fact_record(
            actor=leader,
            case=flow.case,
            stage=Stage.DELIBERATION,
            fact_key="admitted_and_cooperated",
            value=None,
        )
    assert "admitted_and_cooperated" in _records(flow, Stage.DELIBERATION)


def test_an_amended_fact_becomes_the_stage_own_finding_with_its_reason_audited():
    flow = flows.lianyungang_case_at(CaseState.DELIBERATION)
    leader = flow.staff.leaders[0]
    with new_events() as events:
        fact_record(
            actor=leader,
            case=flow.case,
            stage=Stage.DELIBERATION,
            fact_key="admitted_and_cooperated",
            value=False,
            reason="会上核实：当事人未如实说明情况",
        )
    amended = _records(flow, Stage.DELIBERATION)["admitted_and_cooperated"]
    assert amended.value is False
    assert amended.carried_from == ""
    assert amended.amendment_reason == "会上核实：当事人未如实说明情况"
    assert amended.recorded_by == leader
    assert not amended.awaits_confirmation
    assert flows.event_types(events) == [AuditEventType.FACT_RECORDED]
    data = events[0].data
    assert (data["before"], data["after"], data["carried_from"]) == (True, False, "investigation")
    assert data["amendment_reason"] == "会上核实：当事人未如实说明情况"
    # Confirming all now confirms the others, not the amended one.
    facts_confirm_carried(actor=leader, case=flow.case, stage=Stage.DELIBERATION)
    assert _records(flow, Stage.DELIBERATION)["admitted_and_cooperated"].confirmed_at is None


# --- the divergence matrix ------------------------------------------------------------------


def test_the_matrix_shows_no_divergence_where_the_stages_agree():
    flow = flows.taian_case_at(CaseState.DELIBERATION)
    row = _row(flow, "6.4")
    # Intake never established the facts of 6.4: not a difference.
    assert row.cells[Stage.INTAKE].result == "undetermined"
    assert row.cells[Stage.INVESTIGATION].result == "satisfied"
    assert row.cells[Stage.DELIBERATION].result == "satisfied"
    assert not row.diverges
    matrix = clause_matrix(case_detail(flow.case.pk))[0]
    assert [r.ref for r in matrix.rows if r.diverges] == []


def test_the_matrix_shows_a_real_difference_once_a_carried_fact_is_amended():
    flow = flows.lianyungang_case_at(CaseState.DELIBERATION)
    assert not _row(flow, "9.2").diverges
    fact_record(
        actor=flow.staff.leaders[0],
        case=flow.case,
        stage=Stage.DELIBERATION,
        fact_key="admitted_and_cooperated",
        value=False,
        reason="会上核实：当事人未如实说明情况",
    )
    row = _row(flow, "9.2")
    assert row.cells[Stage.INVESTIGATION].result == "satisfied"
    assert row.cells[Stage.DELIBERATION].result == "not_met"
    assert row.diverges
    matrix = clause_matrix(case_detail(flow.case.pk))[0]
    assert [r.ref for r in matrix.rows if r.diverges] == ["9.2"]


# --- the regulation's facts, grouped by clause ------------------------------------------------


def test_a_case_lists_only_its_regulation_facts_grouped_by_the_clauses_they_serve():
    taian = flows.taian_case_at(CaseState.DRAFT).case
    lianyungang = flows.lianyungang_case_at(CaseState.DRAFT).case

    def read_by(case):
        return {
            k for clause in catalog_for_version(case.regulation).clauses for k in clause.facts()
        }

    lianyungang_only = read_by(lianyungang) - read_by(taian) - set(OUTCOME_FACTS)
    assert lianyungang_only  # e.g. the pledge-based approval (告知承诺) facts
    labels = facts_by_key(regulation=taian.regulation.regulation.slug)
    groups = fact_groups(taian, labels)
    listed = [fact.key for group in groups for fact in group.facts]
    assert not lianyungang_only & set(listed)
    assert len(listed) == len(set(listed))  # each fact once
    assert set(listed) == (read_by(taian) | set(OUTCOME_FACTS)) & set(labels)
    catalog = catalog_for_version(taian.regulation)
    for group in groups[:-1]:
        assert all(fact.key in catalog.by_ref[group.ref].facts() for fact in group.facts)
    assert groups[-1].ref == "" and {f.key for f in groups[-1].facts} <= set(OUTCOME_FACTS)
    group_64 = next(group for group in groups if group.ref == "6.4")
    assert "inspection_plan_followed" in [f.key for f in group_64.facts]


# --- the facts page ------------------------------------------------------------------------


def _page(client, flow):
    return reverse("cases:facts", args=[flow.case.pk, Stage.DELIBERATION])


def test_the_facts_page_marks_carried_facts_and_confirms_them_all(client):
    flow = flows.lianyungang_case_at(CaseState.DELIBERATION)
    client.force_login(flow.staff.leaders[0])
    page = client.get(_page(client, flow)).content.decode()
    assert 'data-testid="confirm-carried"' in page
    assert "沿用自调查核实" in page and "待确认" in page
    assert "第九条第（二）项所需的事实" in page
    response = client.post(_page(client, flow), {"action": "confirm_carried"}, follow=True)
    assert "已确认沿用的事实5项。" in response.content.decode()
    assert not any(r.awaits_confirmation for r in _records(flow, Stage.DELIBERATION).values())
    assert 'data-testid="carried-all-confirmed"' in response.content.decode()


def test_the_facts_form_lists_the_facts_in_the_reader_language(client):
    """The form's list of facts names each as the table beside it does: the
    English label for an English reader (the regulation's own words are shown
    in the table, marked as Chinese), the regulation's words in Chinese."""
    flow = flows.taian_case_at(CaseState.DELIBERATION)
    client.force_login(flow.staff.leaders[0])
    facts = facts_by_key()
    fact = facts["has_supervisory_duty"]
    client.cookies["django_language"] = "en"
    form = client.get(_page(client, flow)).context["form"]
    labels = dict(
        option for _group, options in form.fields["fact_key"].choices for option in options
    )
    assert labels["has_supervisory_duty"] == fact.label_en
    client.cookies["django_language"] = "zh-hans"
    form = client.get(_page(client, flow)).context["form"]
    labels = dict(
        option for _group, options in form.fields["fact_key"].choices for option in options
    )
    assert labels["has_supervisory_duty"] != fact.label_en
    assert "监管职责" in labels["has_supervisory_duty"]


def test_the_facts_form_refuses_an_amendment_without_a_reason_and_changes_nothing(client):
    flow = flows.lianyungang_case_at(CaseState.DELIBERATION)
    client.force_login(flow.staff.leaders[0])
    with nothing_changes(flow.case):
        response = client.post(
            _page(client, flow),
            {"fact_key": "admitted_and_cooperated", "subject_officer": "", "value": "false"},
        )
    assert response.status_code == 200
    assert cases_errors.CARRIED_FACT_REASON_MISSING % {"stage": "调查核实"} in (
        response.content.decode()
    )
    assert _records(flow, Stage.DELIBERATION)["admitted_and_cooperated"].value is True
    response = client.post(
        _page(client, flow),
        {
            "fact_key": "admitted_and_cooperated",
            "subject_officer": "",
            "value": "false",
            "reason": "会上核实",
        },
    )
    assert response.status_code == 302
    assert _records(flow, Stage.DELIBERATION)["admitted_and_cooperated"].value is False


def test_confirming_on_the_page_is_refused_to_a_reader(client):
    flow = flows.lianyungang_case_at(CaseState.DELIBERATION)
    client.force_login(flow.staff.investigator)
    with nothing_changes(flow.case):
        response = client.post(_page(client, flow), {"action": "confirm_carried"}, follow=True)
    assert str(cases_errors.MAY_NOT_CONFIRM_FACTS_HERE) in response.content.decode()


def test_the_deliberation_page_points_to_the_facts_awaiting_confirmation(client):
    flow = flows.lianyungang_case_at(CaseState.DELIBERATION)
    client.force_login(flow.staff.leaders[0])
    url = reverse("deliberation:deliberation", args=[flow.case.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="facts-awaiting"' in page
    assert "调查核实阶段认定的 5 项事实已沿用至集体研究阶段，尚待确认。" in page
    facts_confirm_carried(actor=flow.staff.leaders[0], case=flow.case, stage=Stage.DELIBERATION)
    assert 'data-testid="facts-awaiting"' not in client.get(url).content.decode()


def test_the_fact_list_of_the_form_is_grouped_by_clause(client):
    flow = flows.lianyungang_case_at(CaseState.DELIBERATION)
    client.force_login(flow.staff.leaders[0])
    response = client.get(_page(client, flow))
    choices = response.context["form"].fields["fact_key"].choices
    titles = [title for title, _options in choices]
    assert "第九条第（二）项所需的事实" in titles
    assert titles[-1] == "过错与后果（决定追究与否）"
    assert '<optgroup label="第九条第（二）项所需的事实">' in response.content.decode()
