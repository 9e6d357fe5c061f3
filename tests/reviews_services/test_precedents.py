"""Similar decided cases at deliberation (deliberation/precedents.py): signatures
kept when a case is decided (and backfilled), the Jaccard ranking over cited
clauses and deliberation facts with the same regulation first, the spread of
outcomes per clause in the unit and the system, other units' cases shown only
anonymously, and a proposal departing from most close precedents refused
without a reason, accepted with one, and its reason in the minutes."""

import datetime
import itertools
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditEventType
from cases.models import FactRecord
from cases.workflow import CaseState, Stage
from deliberation import errors as deliberation_errors
from deliberation.models import Determination, Meeting, Outcome, PrecedentClause, PrecedentSignature
from deliberation.precedents import (
    outcome_spread,
    precedent_signatures_record,
    query_for,
    similar_precedents,
)
from deliberation.services import vote_close
from documents.builders.review import minutes_context
from documents.rendering import render_pdf
from tests import flows
from tests.documents.pdf import read_pdf, text_of
from tests.factories import CaseFactory, SubjectOfficerFactory, UnitFactory
from tests.flows import new_events, nothing_changes, staff_for

pytestmark = pytest.mark.django_db

# The Tai'an scenario's deliberation facts: its query is these and clause 6.4.
SAME_FACTS = {
    "inspection_plan_followed": True,
    "cause_outside_inspection_scope": True,
    "fault_established": False,
}
# Case numbers clear of those the flows give out.
SEQUENCES = itertools.count(900)


def precedent(unit, *, outcome, clauses, facts, decided_on=datetime.date(2026, 5, 1), measure=""):
    """A decided case of the unit with one adopted determination, its facts
    held at deliberation, made a precedent by the service."""
    case = CaseFactory(unit=unit, state=CaseState.DECIDED, sequence=next(SEQUENCES))
    subject_officer = SubjectOfficerFactory(case=case, officer__unit=unit)
    meeting = Meeting.objects.create(
        case=case,
        held_on=decided_on,
        place="会议室",
        quorum_numerator=2,
        quorum_denominator=3,
        majority_numerator=1,
        majority_denominator=2,
        convened_by=case.created_by,
        status=Meeting.Status.CLOSED,
    )
    Determination.objects.create(
        case=case,
        subject_officer=subject_officer,
        meeting=meeting,
        regulation=case.regulation,
        outcome=outcome,
        cited_clauses=list(clauses),
        measure=measure,
        reasons="理由",
        engine_outcome=outcome,
        status=Determination.Status.ADOPTED,
        proposed_by=case.created_by,
        decided_at=datetime.datetime(
            decided_on.year, decided_on.month, decided_on.day, 10, tzinfo=datetime.UTC
        ),
    )
    for key, value in facts.items():
        FactRecord.objects.create(
            case=case,
            stage=Stage.DELIBERATION,
            fact_key=key,
            value=value,
            recorded_by=case.created_by,
        )
    assert precedent_signatures_record(case) == 1
    return case


@pytest.fixture
def deliberating(catalogs):
    """A Tai'an case in deliberation (not disputed), the scenario's facts held
    at deliberation, a meeting convened."""
    flow = flows.taian_case_at(CaseState.DELIBERATION, disputed=False)
    flows.deliberation_facts(flow)
    flows.convene(flow)
    return flow


def test_deciding_a_case_keeps_its_signature_and_the_backfill_restores_it(catalogs):
    flow = flows.taian_case_at(CaseState.DECIDED, disputed=False)
    signature = PrecedentSignature.objects.get(case=flow.case)
    assert signature.outcome == "exempt"
    assert signature.clauses == ["6.4"]
    assert signature.facts == [
        "cause_outside_inspection_scope=true",
        "fault_established=false",
        "inspection_plan_followed=true",
    ]
    assert signature.unit_id == flow.case.unit_id
    assert signature.regulation_id == flow.case.regulation.regulation_id
    assert list(PrecedentClause.objects.values_list("clause_ref", "outcome")) == [("6.4", "exempt")]

    PrecedentSignature.objects.all().delete()
    call_command("precedents_backfill")
    assert PrecedentSignature.objects.get(case=flow.case).clauses == ["6.4"]
    assert PrecedentClause.objects.count() == 1
    # Idempotent: a second run writes nothing.
    call_command("precedents_backfill")
    assert PrecedentSignature.objects.count() == 1


def test_ranking_is_jaccard_over_clauses_and_facts_same_regulation_first(deliberating):
    unit = deliberating.case.unit
    identical = precedent(unit, outcome="exempt", clauses=["6.4"], facts=SAME_FACTS)
    # 4 shared (6.4 and three facts) of 5 tokens: 0.8.
    more_clauses = precedent(unit, outcome="exempt", clauses=["6.4", "7.1"], facts=SAME_FACTS)
    # 6.4 and two facts shared; the third fact differs: 3 of 5 = 0.6.
    other_fault = precedent(
        unit,
        outcome="liable",
        clauses=["6.4"],
        facts={**SAME_FACTS, "fault_established": True},
        decided_on=datetime.date(2026, 4, 1),
    )
    # Shares no clause: not a candidate.
    precedent(unit, outcome="exempt", clauses=["6.1"], facts=SAME_FACTS)
    # Another regulation, same facts: its 9.2 is another clause; 3 of 5 = 0.6,
    # but after every precedent of the case's own regulation.
    lianyungang = precedent(
        UnitFactory(jurisdiction="lianyungang"),
        outcome="mitigated",
        clauses=["9.2"],
        facts=SAME_FACTS,
        decided_on=datetime.date(2026, 6, 1),
    )

    query = query_for(deliberating.case, deliberating.officer)
    assert query.clauses == {"6.4"}
    ranked = similar_precedents(query)
    assert [(r.signature.case_id, round(r.similarity, 3)) for r in ranked] == [
        (identical.pk, 1.0),
        (more_clauses.pk, 0.8),
        (other_fault.pk, 0.6),
        (lianyungang.pk, 0.6),
    ]
    assert [r.same_regulation for r in ranked] == [True, True, True, False]


def test_the_case_itself_is_no_precedent(catalogs):
    flow = flows.taian_case_at(CaseState.DECIDED, disputed=False)
    query = query_for(flow.case, flow.officer)
    assert query.clauses == {"6.4"}
    assert similar_precedents(query) == []
    assert outcome_spread(query, flow.case.unit_id) == [{"clause": "6.4", "unit": [], "system": []}]


def test_spread_per_clause_counts_the_unit_and_the_system(deliberating):
    unit = deliberating.case.unit
    elsewhere = UnitFactory(jurisdiction="taian")
    precedent(unit, outcome="exempt", clauses=["6.4"], facts=SAME_FACTS)
    precedent(unit, outcome="exempt", clauses=["6.4", "7.1"], facts=SAME_FACTS)
    precedent(elsewhere, outcome="liable", clauses=["6.4"], facts=SAME_FACTS)
    precedent(elsewhere, outcome="mitigated", clauses=["7.1"], facts=SAME_FACTS)

    query = query_for(deliberating.case, deliberating.officer, ["6.4", "7.1"])
    spread = {row["clause"]: row for row in outcome_spread(query, unit.pk)}
    assert [(value, n) for value, _label, n in spread["6.4"]["unit"]] == [("exempt", 2)]
    assert [(value, n) for value, _label, n in spread["6.4"]["system"]] == [
        ("exempt", 2),
        ("liable", 1),
    ]
    assert [(value, n) for value, _label, n in spread["7.1"]["unit"]] == [("exempt", 1)]
    assert [(value, n) for value, _label, n in spread["7.1"]["system"]] == [
        ("exempt", 1),
        ("mitigated", 1),
    ]


def test_other_units_cases_are_anonymous_own_units_link(client, deliberating):
    unit = deliberating.case.unit
    own = precedent(unit, outcome="exempt", clauses=["6.4"], facts=SAME_FACTS, measure="")
    stranger_unit = UnitFactory(jurisdiction="taian", name="泰安市某某区市场监督管理局")
    stranger = precedent(
        stranger_unit,
        outcome="liable",
        clauses=["6.4"],
        facts=SAME_FACTS,
        decided_on=datetime.date(2026, 3, 17),
    )
    stranger_officer = stranger.subject_officers.get().officer.name

    client.force_login(deliberating.staff.leaders[0])
    html = client.get(
        reverse("deliberation:deliberation", args=[deliberating.case.pk])
    ).content.decode()
    panel = re.search(
        rf'data-testid="precedents-{deliberating.officer.pk}".*?</section>', html, re.S
    ).group(0)
    assert own.number in panel
    assert reverse("cases:detail", args=[own.pk]) in panel
    assert panel.count('data-testid="precedent-anonymous"') == 1
    assert "2026-03" in panel and "2026-03-17" not in panel
    for secret in (stranger.number, stranger_unit.name, stranger_officer):
        assert secret not in html
    assert reverse("cases:detail", args=[stranger.pk]) not in html

    # The case page shows the same panel once the case is in deliberation.
    page = client.get(reverse("cases:detail", args=[deliberating.case.pk])).content.decode()
    assert f'data-testid="precedents-{deliberating.officer.pk}"' in page
    assert own.number in page and stranger.number not in page


def test_case_page_shows_no_precedents_before_deliberation(client, catalogs):
    flow = flows.taian_case_at(CaseState.INVESTIGATING)
    client.force_login(flow.staff.inspector)
    page = client.get(reverse("cases:detail", args=[flow.case.pk])).content.decode()
    assert "precedents-" not in page


# The refusal of an exempt proposal after three liable close precedents.
MOST_WERE_LIABLE = deliberation_errors.PRECEDENT_DEPARTURE_REASON_MISSING % {
    "total": 3,
    "count": 3,
    "outcome": Outcome.LIABLE.label,
}


def _liable_precedents(unit, n=3):
    for _ in range(n):
        precedent(unit, outcome="liable", clauses=["6.4"], facts=SAME_FACTS)


def test_departing_from_most_close_precedents_needs_a_reason(deliberating):
    _liable_precedents(deliberating.case.unit)
    with nothing_changes(deliberating.case), pytest.raises(ValidationError) as refused:
        flows.propose(deliberating)
    assert refused.value.message_dict == {"precedent_departure_reason": [MOST_WERE_LIABLE]}
    assert not Determination.objects.filter(case=deliberating.case).exists()

    with new_events() as events:
        determination = flows.propose(
            deliberating, precedent_departure_reason="本案已按计划检查，与上述案例情形不同。"
        )
    assert determination.precedent_departure_reason == "本案已按计划检查，与上述案例情形不同。"
    (event,) = [e for e in events if e.event_type == AuditEventType.DETERMINATION_RECORDED]
    assert event.data["precedent_departure_reason"] == determination.precedent_departure_reason


def test_no_reason_needed_when_following_the_majority_or_too_few_close(deliberating):
    unit = deliberating.case.unit
    # Two close liable precedents and one far one: fewer than three close.
    _liable_precedents(unit, 2)
    precedent(unit, outcome="liable", clauses=["6.4"], facts={"consequence": "severe"})
    determination = flows.propose(deliberating)
    assert determination.precedent_departure_reason == ""


def test_a_reason_given_without_departure_is_not_kept(deliberating):
    _liable_precedents(deliberating.case.unit)
    determination = flows.propose(
        deliberating,
        outcome="liable",
        cited_clauses=[],
        departure_reason="经研究认为存在过错。",
        precedent_departure_reason="不需要",
    )
    assert determination.precedent_departure_reason == ""


def test_proposal_form_shows_the_error_and_saves_nothing(client, deliberating):
    _liable_precedents(deliberating.case.unit)
    so = deliberating.officer
    client.force_login(deliberating.staff.leaders[0])
    url = reverse("deliberation:determination_propose", args=[deliberating.case.pk, so.pk])
    data = {
        f"propose-{so.pk}-outcome": "exempt",
        f"propose-{so.pk}-cited_clauses": ["6.4"],
        f"propose-{so.pk}-reasons": "符合第六条第（四）项。",
        f"propose-{so.pk}-publication_scope": "unit",
    }
    page = client.get(reverse("deliberation:deliberation", args=[deliberating.case.pk]))
    assert f'data-testid="precedents-majority-{so.pk}"' in page.content.decode()
    response = client.post(url, data)
    assert response.status_code == 200
    assert MOST_WERE_LIABLE in response.content.decode()
    assert not Determination.objects.filter(case=deliberating.case).exists()

    data[f"propose-{so.pk}-precedent_departure_reason"] = "情形不同。"
    response = client.post(url, data)
    assert response.status_code == 302
    assert Determination.objects.get(case=deliberating.case).precedent_departure_reason == (
        "情形不同。"
    )


@pytest.mark.real_pdf
def test_the_minutes_carry_the_precedent_departure_reason(catalogs):
    staff = staff_for(flows.unit_for("taian"))
    flow = flows.taian_case_at(CaseState.DELIBERATION, staff=staff, disputed=False)
    _liable_precedents(flow.case.unit)
    flows.deliberation_facts(flow)
    flows.convene(flow)
    determination = flows.propose(flow, precedent_departure_reason="本案检查记录完整，情形不同。")
    flows.vote_all(flow, determination)
    vote_close(actor=staff.chair, meeting=flow.meeting)
    pdf = render_pdf("documents/minutes.html", minutes_context(flow.case))
    text = re.sub(r"\s+", "", text_of(read_pdf(pdf.content)))
    assert (
        "本认定结果与最相似的已决案例多数认定结果不一致，理由是：本案检查记录完整，情形不同。"
        in (text)
    )
