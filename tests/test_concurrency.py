"""Concurrent use of the case services, with real threads and real
connections. Needs PostgreSQL (row locks, one connection per thread): SQLite
serialises every writer on a database lock and its test database lives in one
connection, so these tests are skipped there. Run them with
DATABASE_URL=postgres://… ; each thread closes its own connection."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection, transaction

from audit.models import AuditEvent, AuditEventType
from audit.selectors import audit_chain_verify
from cases import errors as cases_errors
from cases.models import Case, CaseNumberCounter
from cases.services.intake import case_number_allocate
from cases.services.transitions import TransitionRefused, case_transition
from cases.workflow import CaseState
from deliberation import errors as deliberation_errors
from deliberation.models import Determination, Vote
from deliberation.services import vote_close, vote_record
from documents.tasks import render_document
from investigation import errors as investigation_errors
from investigation.models import InvestigationReport
from investigation.services import StaleEdit, report_save
from tests import flows
from tests.flows import staff_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL (row locks, one connection per thread)")


@pytest.fixture(autouse=True)
def _no_rendering(monkeypatch):
    """Registration queues the intake form on commit; rendering PDFs is not
    what these tests are about."""
    monkeypatch.setattr(render_document, "delay", lambda *args, **kwargs: None)


def concurrently(calls: list[Callable]) -> tuple[list, list]:
    """Run the calls in threads released together; (results, errors) by
    position, one of the two None for each call."""
    start = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list = [None] * len(calls)

    def run(index: int, call: Callable) -> None:
        try:
            start.wait()
            results[index] = call()
        except Exception as error:  # reported by the test
            errors[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return results, errors


def assert_chain_intact():
    result = audit_chain_verify()
    assert result.ok, result.reason


# --- votes ----------------------------------------------------------------------------------


def _meeting_of_six(unit):
    flow = flows.taian_case_at(
        CaseState.DELIBERATION, staff=staff_for(unit, leaders=6), disputed=False
    )
    flows.deliberation_facts(flow)
    flows.convene(flow)
    flows.propose(flow)
    return flow


def test_six_members_voting_at_once_are_all_recorded_and_tallied(unit):
    flow = _meeting_of_six(unit)
    [determination] = flow.determinations
    positions = ["agree", "agree", "disagree", "agree", "abstain", "agree"]
    results, errors = concurrently(
        [
            lambda user=user, position=position: vote_record(
                actor=user, determination=determination, position=position, reasoning="同时表态"
            )
            for user, position in zip(flow.staff.leaders, positions, strict=True)
        ]
    )
    assert errors == [None] * 6
    assert Vote.objects.count() == 6
    assert sorted(Vote.objects.values_list("position", flat=True)) == sorted(positions)

    vote_record(
        actor=flow.staff.chair, determination=determination, position="agree", reasoning="同意"
    )
    vote_close(actor=flow.staff.chair, meeting=flow.meeting)
    determination = Determination.objects.get()
    assert determination.tally == {
        "entitled": 7,
        "present": 7,
        "agree": 5,
        "disagree": 1,
        "abstain": 1,
        "quorum_met": True,
        "passed": True,
    }
    assert Case.objects.get().state == CaseState.DECIDED
    assert AuditEvent.objects.filter(event_type=AuditEventType.VOTE_RECORDED).count() == 7
    assert_chain_intact()


def test_the_chair_voting_with_everyone_at_once_still_speaks_last(unit):
    flow = _meeting_of_six(unit)
    [determination] = flow.determinations
    members = [*flow.staff.leaders, flow.staff.chair]
    results, errors = concurrently(
        [
            lambda user=user: vote_record(
                actor=user, determination=determination, position="agree", reasoning="同意"
            )
            for user in members
        ]
    )
    assert errors[:6] == [None] * 6
    votes = list(Vote.objects.order_by("id").values_list("member__user", flat=True))
    if errors[6] is None:  # the chair's thread got the lock last
        assert votes[-1] == flow.staff.chair.pk
    else:
        chair_waits = str(deliberation_errors.VOTE_CHAIR_LAST).partition("%(names)s")[0]
        assert errors[6].messages[0].startswith(chair_waits)
        assert flow.staff.chair.pk not in votes
    assert len(votes) == 6 + (errors[6] is None)
    assert_chain_intact()


def test_the_vote_closes_once_when_closed_twice_at_once(unit):
    flow = _meeting_of_six(unit)
    flows.vote_all(flow, flow.determinations[0])
    results, errors = concurrently(
        [lambda: vote_close(actor=flow.staff.chair, meeting=flow.meeting)] * 2
    )
    assert sorted(e is None for e in errors) == [False, True]
    [error] = [e for e in errors if e is not None]
    assert error.messages == [str(deliberation_errors.VOTE_ALREADY_CLOSED)]
    assert AuditEvent.objects.filter(event_type=AuditEventType.VOTE_CLOSED).count() == 1
    assert Case.objects.get().state == CaseState.DECIDED
    assert_chain_intact()


# --- case numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 10])
def test_concurrent_registrations_get_consecutive_numbers_without_collision(unit, n):
    staff = staff_for(unit)
    drafts = [flows.taian_case_at(CaseState.DRAFT, staff=staff) for _ in range(n)]
    results, errors = concurrently(
        [
            lambda case=flow.case: case_transition(
                actor=staff.inspector, case_id=case.pk, name="register"
            )
            for flow in drafts
        ]
    )
    assert errors == [None] * n
    cases = Case.objects.filter(unit=unit)
    assert sorted(cases.values_list("sequence", flat=True)) == list(range(1, n + 1))
    numbers = set(cases.values_list("number", flat=True))
    year = cases.first().year
    assert numbers == {f"泰市监〔{year}〕{i}号" for i in range(1, n + 1)}
    assert CaseNumberCounter.objects.get(unit=unit, year=year).last_sequence == n
    assert_chain_intact()


@pytest.mark.parametrize("n", [2, 10])
def test_concurrent_allocations_on_a_new_counter_never_collide(unit, n):
    def allocate():
        with transaction.atomic():
            return case_number_allocate(unit=unit, year=2031)

    results, errors = concurrently([allocate] * n)
    assert errors == [None] * n
    assert sorted(results) == list(range(1, n + 1))
    assert CaseNumberCounter.objects.get(unit=unit, year=2031).last_sequence == n


# --- the report ------------------------------------------------------------------------------

STALE = investigation_errors.STALE_REPORT % {"current": 2, "yours": 1}


def test_two_edits_from_the_same_version_save_one_and_refuse_the_other(unit):
    flow = flows.taian_case_at(CaseState.INVESTIGATING, unit=unit)
    flows.find_facts(flow)
    flows.write_report(flow)
    colleague = flows.person(unit, "investigator", "另一调查员")
    flow.case.investigation_team.add(colleague)  # both on the team (need-to-know)

    def edit(actor, summary):
        return lambda: report_save(
            actor=actor,
            case=flow.case,
            findings_summary=summary,
            conclusion="结论",
            conclusions=[],
            base_version=1,
        )

    results, errors = concurrently(
        [edit(flow.staff.investigator, "甲的修改"), edit(colleague, "乙的修改")]
    )
    [saved] = [r for r in results if r is not None]
    [refused] = [e for e in errors if e is not None]
    assert isinstance(refused, StaleEdit)
    assert refused.message == STALE
    report = InvestigationReport.objects.get()
    assert (report.version, report.findings_summary) == (2, saved.findings_summary)
    assert AuditEvent.objects.filter(event_type=AuditEventType.REPORT_SAVED).count() == 2
    assert_chain_intact()


def test_two_first_saves_at_once_create_one_report(unit):
    flow = flows.taian_case_at(CaseState.INVESTIGATING, unit=unit)
    results, errors = concurrently([lambda: flows.write_report(flow)] * 2)
    assert sum(r is not None for r in results) == 1
    assert [type(e) for e in errors if e is not None] == [StaleEdit]
    assert InvestigationReport.objects.get().version == 1


# --- moves ----------------------------------------------------------------------------------


def test_the_same_move_made_twice_at_once_happens_once(unit):
    flow = flows.taian_case_at(CaseState.REGISTERED, unit=unit)
    results, errors = concurrently(
        [
            lambda: case_transition(
                actor=flow.staff.investigator, case_id=flow.case.pk, name="start_investigation"
            )
        ]
        * 2
    )
    [refused] = [e for e in errors if e is not None]
    assert isinstance(refused, TransitionRefused)
    assert refused.message == cases_errors.MOVE_NOT_IN_STATE % {
        "state": "调查核实",
        "action": "开始调查核实",
    }
    assert Case.objects.get().state == CaseState.INVESTIGATING
    assert (
        AuditEvent.objects.filter(
            event_type=AuditEventType.CASE_TRANSITIONED, data__transition="start_investigation"
        ).count()
        == 1
    )
    assert_chain_intact()
