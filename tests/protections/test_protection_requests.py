"""Protection requests (Lianyungang art. 18): filing, who sees them, the
status flow submitted → coordinating → measures taken → closed with its
history, the police contacts, and the refusals of moves that are not
allowed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent, AuditEventType
from protections import errors as protections_errors
from protections.models import (
    PoliceCoordination,
    ProtectionRequest,
    ProtectionStatus,
    ProtectionStatusChange,
)
from protections.services.protection import (
    available_moves,
    police_coordination_record,
    protection_request_file,
    protection_request_move,
)
from protections.workflow import FLOW
from tests.flows import new_events
from tests.protections.conftest import protection_input

pytestmark = pytest.mark.django_db


def police(people, protection, **overrides):
    values = {
        "contacted_on": timezone.localdate(),
        "police_unit": "泰安市公安局泰山分局财源派出所",
        "reference_number": "泰公（财）警字〔2026〕88号",
        "actions": "通报情况，派出所安排民警在上下班时段巡逻。",
    }
    values.update(overrides)
    return police_coordination_record(actor=people.handler, protection=protection, **values)


def move(people, protection, name, **kwargs):
    return protection_request_move(
        actor=kwargs.pop("actor", people.handler), protection=protection, name=name, **kwargs
    )


def unchanged(protection):
    """A refused move leaves status, history and audit trail as they were."""

    class Check:
        def __enter__(self):
            self.state = (
                ProtectionRequest.objects.get(pk=protection.pk).status,
                ProtectionStatusChange.objects.count(),
                AuditEvent.objects.count(),
            )

        def __exit__(self, *exc):
            assert (
                ProtectionRequest.objects.get(pk=protection.pk).status,
                ProtectionStatusChange.objects.count(),
                AuditEvent.objects.count(),
            ) == self.state

    return Check()


# --- filing ---------------------------------------------------------------------------


def test_an_officer_files_a_request(people):
    with new_events() as events:
        protection = protection_request_file(
            actor=people.officer,
            data=protection_input(affected_person="child", affected_name="王小明"),
        )
    assert protection.status == ProtectionStatus.SUBMITTED
    assert protection.number.startswith("泰市监保护〔")
    assert protection.affected_label == "子女 王小明"
    assert [c.to_status for c in protection.status_changes.all()] == ["submitted"]
    assert [e.event_type for e in events] == [AuditEventType.PROTECTION_REQUESTED]
    assert events[0].case is None


def test_the_name_of_the_officer_themself_is_not_kept(people):
    protection = protection_request_file(
        actor=people.officer, data=protection_input(affected_name="别人")
    )
    assert protection.affected_name == ""
    assert protection.affected_label == "本人"


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {"occurred_at": timezone.now() + datetime.timedelta(days=1)},
            "occurred_at",
            str(protections_errors.OCCURRED_IN_FUTURE),
        ),
        (
            {"affected_person": "spouse"},
            "affected_name",
            str(protections_errors.AFFECTED_NAME_MISSING),
        ),
        ({"place": " "}, "place", str(protections_errors.PLACE_MISSING)),
        ({"description": ""}, "description", str(protections_errors.DESCRIPTION_MISSING)),
        (
            {"duty_connection": ""},
            "duty_connection",
            str(protections_errors.DUTY_CONNECTION_MISSING),
        ),
        (
            {"incident_kind": "gossip"},
            "incident_kind",
            str(protections_errors.INCIDENT_KIND_MISSING),
        ),
        (
            {"affected_person": "cousin"},
            "affected_person",
            str(protections_errors.AFFECTED_PERSON_MISSING),
        ),
    ],
)
def test_filing_refuses_bad_input_and_changes_nothing(people, overrides, field, message):
    count = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        protection_request_file(actor=people.officer, data=protection_input(**overrides))
    assert caught.value.message_dict[field] == [message]
    assert not ProtectionRequest.objects.exists()
    assert AuditEvent.objects.count() == count


def test_only_an_officer_files(people):
    with pytest.raises(PermissionDenied):
        protection_request_file(actor=people.handler, data=protection_input())
    assert not ProtectionRequest.objects.exists()


def test_the_form_files_a_request(client, people):
    client.force_login(people.officer)
    when = timezone.localtime(timezone.now() - datetime.timedelta(hours=3))
    response = client.post(
        reverse("protections:protection_create"),
        {
            "affected_person": "self",
            "incident_kind": "threat",
            "occurred_at": when.strftime("%Y-%m-%dT%H:%M"),
            "place": "单位门口",
            "description": "当事人扬言报复。",
            "duty_connection": "对其作出行政处罚。",
        },
    )
    protection = ProtectionRequest.objects.get()
    assert response.url == reverse("protections:protection_detail", args=[protection.pk])
    assert protection.incident_kind == "threat"


def test_the_form_refuses_a_relative_without_a_name(client, people):
    client.force_login(people.officer)
    response = client.post(
        reverse("protections:protection_create"),
        {
            "affected_person": "parent",
            "incident_kind": "harassment",
            "occurred_at": "2026-01-05T10:00",
            "place": "家中",
            "description": "多次上门滋扰。",
            "duty_connection": "查处其无照经营。",
        },
    )
    assert response.status_code == 200
    assert str(protections_errors.AFFECTED_NAME_MISSING) in response.content.decode()
    assert not ProtectionRequest.objects.exists()


# --- who sees ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer", "handler"])
def test_it_shows_the_request_to(client, people, protection, who):
    client.force_login(getattr(people, who))
    response = client.get(reverse("protections:protection_detail", args=[protection.pk]))
    assert response.status_code == 200
    assert "此前依法取缔其亲属的无照经营摊点" in response.content.decode()


@pytest.mark.parametrize(
    "who",
    # No administrative role reads protection requests (三员分立).
    [
        "colleague",
        "leader",
        "reader",
        "liaison",
        "admin",
        "other_admin",
        "inspector",
        "other_officer",
    ],
)
def test_it_answers_404_to(client, people, protection, who):
    client.force_login(getattr(people, who))
    response = client.get(reverse("protections:protection_detail", args=[protection.pk]))
    assert response.status_code == 404


def test_a_handler_of_the_city_sees_the_county(client, people):
    protection = protection_request_file(actor=people.county_officer, data=protection_input())
    client.force_login(people.handler)
    listed = client.get(reverse("protections:protection_list")).context["page"].object_list
    assert list(listed) == [protection]


def test_the_list_shows_only_what_one_may_see(client, people, protection):
    other = protection_request_file(actor=people.colleague, data=protection_input())
    client.force_login(people.officer)
    assert list(client.get(reverse("protections:protection_list")).context["page"]) == [protection]
    client.force_login(people.handler)
    assert set(client.get(reverse("protections:protection_list")).context["page"]) == {
        protection,
        other,
    }


@pytest.mark.parametrize("who", ["leader", "liaison", "inspector"])
def test_the_list_is_refused_to(client, people, who):
    client.force_login(getattr(people, who))
    assert client.get(reverse("protections:protection_list")).status_code == 403


# --- the status flow ---------------------------------------------------------------------


def test_the_whole_flow_with_its_history(people, protection):
    with new_events() as events:
        move(people, protection, "coordinate", note="已电话联系派出所")
        police(people, protection)
        move(people, protection, "measures_taken")
        move(people, protection, "close", outcome="公安机关已对尾随人员训诫，未再发生。")
    protection.refresh_from_db()
    assert protection.status == ProtectionStatus.CLOSED
    assert protection.outcome == "公安机关已对尾随人员训诫，未再发生。"
    history = [(c.from_status, c.to_status) for c in protection.status_changes.all()]
    assert history == [
        ("", "submitted"),
        ("submitted", "coordinating"),
        ("coordinating", "measures_taken"),
        ("measures_taken", "closed"),
    ]
    assert protection.status_changes.all()[1].note == "已电话联系派出所"
    assert [e.event_type for e in events] == [
        AuditEventType.PROTECTION_STATUS_CHANGED,
        AuditEventType.PROTECTION_POLICE_RECORDED,
        AuditEventType.PROTECTION_STATUS_CHANGED,
        AuditEventType.PROTECTION_STATUS_CHANGED,
    ]
    assert events[0].data["before"] == {"status": "submitted"}
    assert events[0].data["after"] == {"status": "coordinating"}


@pytest.mark.parametrize(
    ("name", "label"), [("measures_taken", "确认已采取保护措施"), ("close", "办结")]
)
def test_a_submitted_request_cannot_skip_coordination(people, protection, name, label):
    with unchanged(protection), pytest.raises(ValidationError) as caught:
        move(people, protection, name, outcome="x")
    assert caught.value.messages == [
        protections_errors.MOVE_NOT_FROM_HERE % {"status": "已提交", "move": label}
    ]


def test_measures_need_a_police_contact_first(people, protection):
    move(people, protection, "coordinate")
    with unchanged(protection), pytest.raises(ValidationError) as caught:
        move(people, protection, "measures_taken")
    assert caught.value.messages == [str(protections_errors.NO_POLICE_RECORD)]


def test_closing_needs_an_outcome(people, protection):
    move(people, protection, "coordinate")
    with unchanged(protection), pytest.raises(ValidationError) as caught:
        move(people, protection, "close", outcome="  ")
    assert caught.value.message_dict["outcome"] == [str(protections_errors.OUTCOME_MISSING)]


@pytest.mark.parametrize("name", ["coordinate", "measures_taken", "close"])
def test_a_closed_request_does_not_move(people, protection, name):
    move(people, protection, "coordinate")
    move(people, protection, "close", outcome="当事人已搬离，无需继续保护。")
    with unchanged(protection), pytest.raises(ValidationError):
        move(people, protection, name, outcome="x")


def test_coordinating_twice_is_refused(people, protection):
    move(people, protection, "coordinate")
    with unchanged(protection), pytest.raises(ValidationError):
        move(people, protection, "coordinate")


@pytest.mark.parametrize(
    ("status", "name"),
    [
        (status, name)
        for status in ProtectionStatus.values
        for name, table_move in FLOW.moves.items()
        if status not in table_move.sources
    ],
)
def test_every_move_the_table_does_not_allow_from_a_status_is_refused(
    people, protection, status, name
):
    ProtectionRequest.objects.filter(pk=protection.pk).update(status=status)
    label = ProtectionStatus(status).label
    with unchanged(protection), pytest.raises(ValidationError) as caught:
        move(people, protection, name, outcome="x")
    assert caught.value.messages == [f"当前状态为“{label}”，不能{FLOW.moves[name].label}。"]


def test_an_unknown_move_is_refused(people, protection):
    with unchanged(protection), pytest.raises(ValidationError):
        move(people, protection, "escalate")


@pytest.mark.parametrize("who", ["officer", "leader", "admin"])
def test_only_a_designated_handler_moves_it(people, protection, who):
    with unchanged(protection), pytest.raises(PermissionDenied):
        move(people, protection, "coordinate", actor=getattr(people, who))


def test_police_contacts_only_while_coordinating_or_after_measures(people, protection):
    with pytest.raises(ValidationError) as caught:
        police(people, protection)
    assert caught.value.messages == [protections_errors.POLICE_NOT_NOW % {"status": "已提交"}]
    move(people, protection, "coordinate")
    police(people, protection)
    move(people, protection, "close", outcome="办结")
    with pytest.raises(ValidationError):
        police(people, protection)
    assert PoliceCoordination.objects.count() == 1


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"contacted_on": timezone.localdate() + datetime.timedelta(days=1)}, "contacted_on"),
        ({"contacted_on": None}, "contacted_on"),
        ({"police_unit": ""}, "police_unit"),
        ({"actions": " "}, "actions"),
    ],
)
def test_a_police_contact_refuses_bad_input(people, protection, overrides, field):
    move(people, protection, "coordinate")
    count = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        police(people, protection, **overrides)
    assert field in caught.value.message_dict
    assert not PoliceCoordination.objects.exists()
    assert AuditEvent.objects.count() == count


def test_the_buttons_say_why_a_move_is_not_allowed_yet(people, protection):
    assert available_moves(protection, people.officer) == []
    assert [m.name for m in available_moves(protection, people.handler)] == ["coordinate"]
    move(people, protection, "coordinate")
    protection.refresh_from_db()
    moves = {m.name: m for m in available_moves(protection, people.handler)}
    assert moves["measures_taken"].allowed is False
    assert moves["measures_taken"].reason == str(protections_errors.NO_POLICE_RECORD)
    assert moves["close"].allowed is True and moves["close"].needs_outcome


# --- the pages -----------------------------------------------------------------------------


def test_a_handler_moves_it_through_the_page(client, people, protection):
    client.force_login(people.handler)
    page = client.get(reverse("protections:protection_detail", args=[protection.pk]))
    assert "开始协调公安机关" in page.content.decode()
    response = client.post(
        reverse("protections:protection_move", args=[protection.pk, "coordinate"]),
        {"note": "已联系派出所"},
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "正在协调公安机关" in page
    assert "已联系派出所" in page


def test_a_refused_move_through_the_page_says_why(client, people, protection):
    client.force_login(people.handler)
    response = client.post(
        reverse("protections:protection_move", args=[protection.pk, "measures_taken"])
    )
    page = client.get(response.url).content.decode()
    assert (
        protections_errors.MOVE_NOT_FROM_HERE % {"status": "已提交", "move": "确认已采取保护措施"}
        in page
    )
    assert ProtectionRequest.objects.get().status == "submitted"


def test_the_requester_may_not_move_it_through_the_page(client, people, protection):
    client.force_login(people.officer)
    response = client.post(
        reverse("protections:protection_move", args=[protection.pk, "coordinate"])
    )
    assert response.status_code == 403
    assert (
        "开始协调公安机关"
        not in client.get(
            reverse("protections:protection_detail", args=[protection.pk])
        ).content.decode()
    )


def test_moving_needs_post(client, people, protection):
    client.force_login(people.handler)
    response = client.get(
        reverse("protections:protection_move", args=[protection.pk, "coordinate"])
    )
    assert response.status_code == 405


def test_a_handler_records_a_police_contact_through_the_page(client, people, protection):
    move(people, protection, "coordinate")
    client.force_login(people.handler)
    url = reverse("protections:protection_police", args=[protection.pk])
    bad = client.post(url, {"police-contacted_on": "", "police-police_unit": "派出所"})
    assert bad.status_code == 400
    assert not PoliceCoordination.objects.exists()
    response = client.post(
        url,
        {
            "police-contacted_on": timezone.localdate().isoformat(),
            "police-police_unit": "财源派出所",
            "police-reference_number": "A-1",
            "police-actions": "安排巡逻。",
        },
    )
    assert response.status_code == 302
    assert PoliceCoordination.objects.get().reference_number == "A-1"
    assert "财源派出所" in client.get(response.url).content.decode()
