"""The clarification pages: who sees what, who may act, and that a refusal
is shown and changes nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from tests.factories import UserFactory
from tests.vindication.test_clarification_services import decide, find, record_for
from vindication import errors as vindication_errors
from vindication.models import ClarificationRecord

pytestmark = pytest.mark.django_db

State = ClarificationRecord.State
TODAY = timezone.localdate()


def _login(client, user):
    client.force_login(user)
    return client


def _ymd(value: datetime.date) -> str:
    return value.strftime("%Y-%m-%d")


# --- the list --------------------------------------------------------------------------


def test_it_lists_the_records_of_the_units_a_leader_oversees(client, org):
    own = record_for(org)
    below = record_for(org, officers=[org.county_officer])
    response = _login(client, org.leader).get(reverse("vindication:list"))
    assert response.status_code == 200
    shown = {r.pk for r in response.context["page"].object_list}
    assert shown == {own.pk, below.pk}
    assert response.context["can_add"]


def test_a_county_leader_sees_only_the_county(client, org):
    record_for(org)
    below = record_for(org, officers=[org.county_officer])
    response = _login(client, org.county_leader).get(reverse("vindication:list"))
    assert [r.pk for r in response.context["page"].object_list] == [below.pk]


def test_the_officer_concerned_sees_their_own_records_only(client, org):
    own = record_for(org)
    record_for(org, officers=[org.colleague])
    response = _login(client, org.officer_user).get(reverse("vindication:list"))
    assert [r.pk for r in response.context["page"].object_list] == [own.pk]
    assert not response.context["can_add"]


def test_an_inspector_not_concerned_sees_none(client, org):
    record_for(org)
    response = _login(client, org.inspector).get(reverse("vindication:list"))
    assert response.status_code == 200
    assert not response.context["page"].object_list
    assert "没有您可查看的澄清正名记录" in response.content.decode()


def test_a_user_of_no_unit_is_refused(client, org):
    response = _login(client, UserFactory()).get(reverse("vindication:list"))
    assert response.status_code == 403


def test_the_navigation_offers_the_pages_by_role(client, org):
    leader_page = _login(client, org.leader).get(reverse("vindication:list")).content.decode()
    assert 'data-testid="nav-clarifications"' in leader_page
    assert 'data-testid="nav-personnel-query"' in leader_page
    inspector_page = _login(client, org.inspector).get(reverse("vindication:list"))
    assert 'data-testid="nav-personnel-query"' not in inspector_page.content.decode()


# --- recording ------------------------------------------------------------------------


def _record_post(org, **changes):
    return {
        "officers": [org.officer.pk],
        "kind": "false_accusation",
        "channel": "letters_and_visits",
        "source": "信访件第12号",
        "received_on": _ymd(TODAY - datetime.timedelta(days=3)),
        "content": "来信称张执法在检查中故意刁难商户。",
        "case_number": "",
        **changes,
    }


def test_a_leader_records_an_accusation(client, org):
    _login(client, org.leader)
    assert client.get(reverse("vindication:create")).status_code == 200
    response = client.post(reverse("vindication:create"), _record_post(org))
    record = ClarificationRecord.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("vindication:detail", args=[record.pk])
    assert record.kind == "false_accusation" and record.recorded_by == org.leader


@pytest.mark.parametrize("who", ["inspector", "personnel", "officer_user"])
def test_others_cannot_open_the_form(client, org, who):
    assert _login(client, getattr(org, who)).get(reverse("vindication:create")).status_code == 403


def test_officers_of_two_units_are_refused_next_to_the_field(client, org):
    response = _login(client, org.leader).post(
        reverse("vindication:create"),
        _record_post(org, officers=[org.officer.pk, org.county_officer.pk]),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["officers"] == [
        str(vindication_errors.OFFICERS_OF_SEVERAL_UNITS)
    ]
    assert not ClarificationRecord.objects.exists()


def test_a_case_the_leader_cannot_see_is_refused(client, org, decided):
    flow = decided("exempt", officer=org.officer)  # a case of another bureau
    response = _login(client, org.leader).post(
        reverse("vindication:create"), _record_post(org, case_number=flow.case.number)
    )
    assert response.context["form"].errors["case_number"] == [
        str(vindication_errors.CASE_NOT_FOUND)
    ]
    assert not ClarificationRecord.objects.exists()


def test_an_officer_outside_the_leaders_units_is_not_offered(client, org):
    from tests.factories import OfficerFactory

    stranger = OfficerFactory(name="外单位执法", unit=org.other)
    response = _login(client, org.leader).post(
        reverse("vindication:create"), _record_post(org, officers=[stranger.pk])
    )
    assert "officers" in response.context["form"].errors
    assert not ClarificationRecord.objects.exists()


# --- the record page and its moves ------------------------------------------------------


def test_a_leader_sees_the_moves_the_state_allows(client, org):
    record = record_for(org)
    response = _login(client, org.leader).get(reverse("vindication:detail", args=[record.pk]))
    assert set(response.context["forms"]) == {"find", "close"}
    record = find(org, record)
    response = client.get(reverse("vindication:detail", args=[record.pk]))
    assert set(response.context["forms"]) == {"decide", "close"}


def test_the_officer_concerned_sees_the_record_but_no_moves(client, org):
    record = decide(org, find(org, record_for(org)))
    response = _login(client, org.officer_user).get(reverse("vindication:detail", args=[record.pk]))
    assert response.status_code == 200
    assert response.context["forms"] == {}
    assert 'data-testid="notice-download"' in response.content.decode()


@pytest.mark.parametrize("who", ["inspector", "other_leader", "county_leader", "personnel"])
def test_others_get_404_for_a_record(client, org, who):
    record = record_for(org)
    response = _login(client, getattr(org, who)).get(
        reverse("vindication:detail", args=[record.pk])
    )
    assert response.status_code == 404


def test_the_finding_is_recorded_from_the_page(client, org):
    record = record_for(org)
    response = _login(client, org.leader).post(
        reverse("vindication:find", args=[record.pk]),
        {
            "find-result": "untrue",
            "find-found_by": "本局督查组",
            "find-found_on": _ymd(TODAY),
            "find-basis": "经调阅执法记录仪视频，未见刁难行为。",
        },
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.state == State.FOUND_UNTRUE and record.found_by == "本局督查组"


def test_a_move_is_post_only(client, org):
    record = record_for(org)
    response = _login(client, org.leader).get(reverse("vindication:find", args=[record.pk]))
    assert response.status_code == 405


def test_deciding_before_the_finding_is_refused_on_the_page(client, org):
    record = record_for(org)
    count = AuditEvent.objects.count()
    response = _login(client, org.leader).post(
        reverse("vindication:decide", args=[record.pk]),
        {
            "decide-decided_by": "局党组会议",
            "decide-decided_on": _ymd(TODAY),
            "decide-scope": "unit",
        },
    )
    assert response.status_code == 400
    assert str(vindication_errors.DECIDE_BEFORE_FINDING) in response.content.decode()
    record.refresh_from_db()
    assert record.state == State.RECORDED and not record.notice_file
    assert AuditEvent.objects.count() == count


def test_the_officer_concerned_cannot_act(client, org):
    record = record_for(org)
    response = _login(client, org.officer_user).post(
        reverse("vindication:close", args=[record.pk]), {"close-reason": "本人不同意"}
    )
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.state == State.RECORDED


def test_a_leader_of_another_unit_cannot_act(client, org):
    record = record_for(org)
    response = _login(client, org.other_leader).post(
        reverse("vindication:close", args=[record.pk]), {"close-reason": "x"}
    )
    assert response.status_code == 404


def test_a_repeat_issue_is_refused_and_harmless(client, org):
    record = decide(org, find(org, record_for(org)))
    _login(client, org.leader)
    url = reverse("vindication:issue", args=[record.pk])
    assert client.post(url, {"issue-issued_on": _ymd(TODAY)}).status_code == 302
    count = AuditEvent.objects.count()
    response = client.post(url, {"issue-issued_on": _ymd(TODAY)})
    assert response.status_code == 400
    assert str(vindication_errors.FINAL_NOTICE_ISSUED) in response.content.decode()
    assert AuditEvent.objects.count() == count


# --- the notice download ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["leader", "officer_user"])
def test_a_download_is_an_audit_event(client, org, who):
    record = decide(org, find(org, record_for(org)))
    response = _login(client, getattr(org, who)).get(
        reverse("vindication:notice_download", args=[record.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    event = AuditEvent.objects.filter(event_type="clarification_notice_downloaded").get()
    assert event.actor == getattr(org, who)
    assert event.data["sha256"] == record.notice_sha256


def test_no_download_for_others_or_before_the_decision(client, org):
    record = decide(org, find(org, record_for(org)))
    response = _login(client, org.inspector).get(
        reverse("vindication:notice_download", args=[record.pk])
    )
    assert response.status_code == 404
    early = record_for(org, officers=[org.colleague])
    response = _login(client, org.leader).get(
        reverse("vindication:notice_download", args=[early.pk])
    )
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(event_type="clarification_notice_downloaded").exists()
