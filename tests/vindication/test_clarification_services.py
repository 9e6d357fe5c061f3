"""The clarification record's moves, and the refusals that change nothing."""

import datetime
import hashlib
from contextlib import contextmanager

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from tests.flows import event_types, new_events
from vindication import errors as vindication_errors
from vindication import services, workflow
from vindication.models import ClarificationRecord

pytestmark = pytest.mark.django_db

State = ClarificationRecord.State
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def record_for(org, actor=None, officers=None, **changes):
    values = {
        "actor": actor or org.leader,
        "officers": [org.officer] if officers is None else officers,
        "kind": "untrue_complaint",
        "channel": "hotline",
        "source": "12345工单20260301号",
        "received_on": TODAY - 30 * DAY,
        "content": "反映张执法检查时收受商户礼品、对违法行为视而不见。",
        **changes,
    }
    return services.clarification_record(**values)


def find(org, record, untrue=True, actor=None, **changes):
    values = {
        "actor": actor or org.leader,
        "record": record,
        "untrue": untrue,
        "found_by": "本局执法稽查科调查组",
        "found_on": TODAY - 20 * DAY,
        "basis": "调取执法记录仪视频和商户询问笔录，未发现收受礼品的情况。",
        **changes,
    }
    return services.clarification_finding_record(**values)


def decide(org, record, actor=None, **changes):
    values = {
        "actor": actor or org.chair,
        "record": record,
        "decided_by": "局党组会议",
        "decided_on": TODAY - 10 * DAY,
        "scope": "unit",
        "scope_detail": "在被举报人所在单位",
        **changes,
    }
    return services.clarification_decide(**values)


def issue(org, record, actor=None, **changes):
    values = {"actor": actor or org.leader, "record": record, "issued_on": TODAY, **changes}
    return services.clarification_notice_issue(**values)


@contextmanager
def unchanged(record):
    """A refusal leaves the record's row and the audit trail as they were."""
    before = ClarificationRecord.objects.filter(pk=record.pk).values().get()
    count = AuditEvent.objects.count()
    yield
    assert ClarificationRecord.objects.filter(pk=record.pk).values().get() == before
    assert AuditEvent.objects.count() == count


# --- the happy path ------------------------------------------------------------------------


def test_it_goes_from_recorded_to_notice_issued(org):
    with new_events() as events:
        record = record_for(org)
    assert record.state == State.RECORDED
    assert record.unit == org.city
    assert record.regulation.regulation.slug == "taian-2020"
    assert list(record.officers.all()) == [org.officer]
    assert event_types(events) == ["clarification_recorded"]

    record = find(org, record)
    assert record.state == State.FOUND_UNTRUE
    assert record.found_by == "本局执法稽查科调查组"
    assert record.finding_recorded_by == org.leader

    with new_events() as events:
        record = decide(org, record)
    assert record.state == State.CLARIFICATION_DECIDED
    assert record.number == f"泰市监澄〔{record.decided_on.year}〕1号"
    content = record.notice_file.read()
    assert content.startswith(b"%PDF")
    assert record.notice_sha256 == hashlib.sha256(content).hexdigest()
    assert record.notice_size == len(content) and record.notice_page_count >= 1
    assert event_types(events) == ["clarification_decided"]
    assert events[0].data["after"]["sha256"] == record.notice_sha256

    record = issue(org, record)
    assert record.state == State.NOTICE_ISSUED
    assert record.issued_on == TODAY and record.issued_by == org.leader
    assert record.is_final


def test_a_substantiated_accusation_ends_there(org):
    record = find(org, record_for(org), untrue=False)
    assert record.state == State.SUBSTANTIATED
    assert record.is_final
    with (
        unchanged(record),
        pytest.raises(ValidationError, match=str(vindication_errors.FINAL_SUBSTANTIATED)),
    ):
        decide(org, record)


def test_a_record_can_be_closed_without_clarification(org):
    record = find(org, record_for(org))
    with new_events() as events:
        record = services.clarification_close(
            actor=org.leader, record=record, reason="被反映人本人要求不予公开。"
        )
    assert record.state == State.CLOSED
    assert record.closing_reason == "被反映人本人要求不予公开。"
    assert event_types(events) == ["clarification_closed"]
    with (
        unchanged(record),
        pytest.raises(ValidationError, match=str(vindication_errors.FINAL_CLOSED)),
    ):
        decide(org, record)


def test_numbers_run_per_unit_and_year(org):
    first = decide(org, find(org, record_for(org)))
    second = decide(org, find(org, record_for(org, officers=[org.colleague])))
    county = decide(org, find(org, record_for(org, officers=[org.county_officer])))
    year = first.decided_on.year
    assert first.number == f"泰市监澄〔{year}〕1号"
    assert second.number == f"泰市监澄〔{year}〕2号"
    assert county.number == f"泰山市监澄〔{year}〕1号"


@pytest.mark.real_pdf  # compares the notices' bytes
def test_the_decision_may_be_recorded_again_before_issue(org):
    record = decide(org, find(org, record_for(org)))
    first_sha, number = record.notice_sha256, record.number
    with new_events() as events:
        record = decide(org, record, scope="system", scope_detail="")
    assert record.state == State.CLARIFICATION_DECIDED
    assert record.scope == "system"
    assert record.number == number
    assert record.notice_sha256 != first_sha
    assert events[0].data["before"]["sha256"] == first_sha


def test_a_case_links_the_record_to_its_regulation(org, decided):
    flow = decided("exempt", officer=org.officer, unit=org.city)
    record = record_for(org, actor=org.leader, case=flow.case)
    assert record.case == flow.case
    assert record.regulation == flow.case.regulation
    assert AuditEvent.objects.filter(case=flow.case, event_type="clarification_recorded").exists()


# --- refusals: each changes nothing ------------------------------------------------------


def test_it_cannot_decide_before_finding_untrue(org):
    record = record_for(org)
    with unchanged(record), pytest.raises(ValidationError) as error:
        decide(org, record)
    assert error.value.messages == [str(vindication_errors.DECIDE_BEFORE_FINDING)]
    assert not record.notice_file


def test_it_cannot_issue_before_deciding(org):
    record = find(org, record_for(org))
    with unchanged(record), pytest.raises(ValidationError) as error:
        issue(org, record)
    assert error.value.messages == [str(vindication_errors.ISSUE_BEFORE_DECISION)]


def test_nothing_changes_after_issue(org):
    record = issue(org, decide(org, find(org, record_for(org))))
    message = str(vindication_errors.FINAL_NOTICE_ISSUED)
    for attempt in (
        lambda: decide(org, record, scope="public"),
        lambda: issue(org, record),
        lambda: find(org, record),
        lambda: services.clarification_close(actor=org.leader, record=record, reason="撤回"),
    ):
        with unchanged(record), pytest.raises(ValidationError) as error:
            attempt()
        assert error.value.messages == [message]


MOVE_CALLS = {
    "find": find,
    "close": lambda org, record: services.clarification_close(
        actor=org.leader, record=record, reason="撤回"
    ),
    "decide": decide,
    "issue": issue,
}


@pytest.mark.parametrize(
    ("state", "name"),
    [
        (state, name)
        for state in State.values
        for name, move in workflow.FLOW.moves.items()
        if state not in move.sources
    ],
)
def test_every_move_the_table_does_not_allow_from_a_state_is_refused(org, state, name):
    record = record_for(org)
    ClarificationRecord.objects.filter(pk=record.pk).update(
        state=state, found_on=TODAY - 20 * DAY, decided_on=TODAY - 10 * DAY
    )
    record.refresh_from_db()
    expected = workflow.FINAL_MESSAGES.get(state) or workflow.FLOW.moves[name].refusal
    with unchanged(record), pytest.raises(ValidationError) as error:
        MOVE_CALLS[name](org, record)
    assert error.value.messages == [str(expected)]


def test_the_table_covers_every_service_move():
    assert set(MOVE_CALLS) == set(workflow.FLOW.moves)


def test_a_finding_is_recorded_once(org):
    record = find(org, record_for(org))
    with unchanged(record), pytest.raises(ValidationError) as error:
        find(org, record, untrue=False)
    assert error.value.messages == [str(vindication_errors.ALREADY_FOUND)]


def test_it_cannot_close_after_deciding(org):
    record = decide(org, find(org, record_for(org)))
    with unchanged(record), pytest.raises(ValidationError) as error:
        services.clarification_close(actor=org.leader, record=record, reason="撤回")
    assert error.value.messages == [str(vindication_errors.CLOSE_AFTER_DECISION)]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"found_by": "  "}, "found_by"),
        ({"basis": ""}, "basis"),
        ({"found_on": TODAY + DAY}, "found_on"),
        ({"found_on": TODAY - 60 * DAY}, "found_on"),  # before the accusation was received
    ],
)
def test_a_bad_finding_is_refused(org, changes, field):
    record = record_for(org)
    with unchanged(record), pytest.raises(ValidationError) as error:
        find(org, record, **changes)
    assert field in error.value.message_dict


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"decided_by": ""}, "decided_by"),
        ({"scope": "everyone"}, "scope"),
        ({"decided_on": TODAY + DAY}, "decided_on"),
        ({"decided_on": TODAY - 25 * DAY}, "decided_on"),  # before the finding
    ],
)
def test_a_bad_decision_is_refused(org, changes, field):
    record = find(org, record_for(org))
    with unchanged(record), pytest.raises(ValidationError) as error:
        decide(org, record, **changes)
    assert field in error.value.message_dict


def test_an_issue_date_before_the_decision_is_refused(org):
    record = decide(org, find(org, record_for(org)))
    with unchanged(record), pytest.raises(ValidationError) as error:
        issue(org, record, issued_on=record.decided_on - DAY)
    assert "issued_on" in error.value.message_dict


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"officers": []}, "officers"),
        ({"kind": "rumour"}, "kind"),
        ({"channel": "pigeon"}, "channel"),
        ({"content": "   "}, "content"),
        ({"received_on": TODAY + DAY}, "received_on"),
    ],
)
def test_a_bad_record_is_refused(org, changes, field):
    count = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        record_for(org, **changes)
    assert field in error.value.message_dict
    assert not ClarificationRecord.objects.exists()
    assert AuditEvent.objects.count() == count


def test_officers_of_two_units_are_recorded_separately(org):
    with pytest.raises(ValidationError) as error:
        record_for(org, officers=[org.officer, org.county_officer])
    assert error.value.message_dict == {
        "officers": [str(vindication_errors.OFFICERS_OF_SEVERAL_UNITS)]
    }
    assert not ClarificationRecord.objects.exists()


def test_the_officers_must_be_subjects_of_the_linked_case(org, decided):
    flow = decided("exempt", unit=org.city)
    with pytest.raises(ValidationError) as error:
        record_for(org, case=flow.case)
    assert error.value.message_dict == {
        "case": [vindication_errors.NOT_SUBJECTS_OF_CASE % {"names": org.officer.name}]
    }
    assert not ClarificationRecord.objects.exists()


# --- who may act ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["leader", "chair"])
def test_the_leadership_records_for_their_unit(org, who):
    assert record_for(org, actor=getattr(org, who)).state == State.RECORDED


def test_leadership_above_records_for_a_sub_unit_but_not_the_reverse(org):
    assert record_for(org, actor=org.leader, officers=[org.county_officer]).unit == org.county
    with pytest.raises(PermissionDenied):
        record_for(org, actor=org.county_leader, officers=[org.officer])


@pytest.mark.parametrize("who", ["inspector", "personnel", "expert", "other_leader", "admin"])
def test_others_cannot_record(org, who):
    with pytest.raises(PermissionDenied):
        record_for(org, actor=getattr(org, who))
    assert not ClarificationRecord.objects.exists()


@pytest.mark.parametrize("who", ["inspector", "personnel", "county_leader", "other_leader"])
def test_others_cannot_find_decide_or_issue(org, who):
    actor = getattr(org, who)
    record = record_for(org)
    with unchanged(record), pytest.raises(PermissionDenied):
        find(org, record, actor=actor)
    record = decide(org, find(org, record))
    with unchanged(record), pytest.raises(PermissionDenied):
        issue(org, record, actor=actor)


def test_a_leader_who_is_the_officer_concerned_does_not_act(org):
    org.officer_user.groups.clear()
    leader_officer = org.officer
    leader_officer.user = org.leader
    leader_officer.save(update_fields=["user"])
    with pytest.raises(PermissionDenied, match=str(vindication_errors.OWN_RECORD)):
        record_for(org, actor=org.leader)
    record = record_for(org, actor=org.chair)
    with (
        unchanged(record),
        pytest.raises(PermissionDenied, match=str(vindication_errors.OWN_RECORD)),
    ):
        find(org, record, actor=org.leader)
