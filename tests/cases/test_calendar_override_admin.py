"""The administrator's working-calendar overrides (CalendarOverride) in the
Django admin: only the system administrator keeps them, every change is
audited and moves the open deadlines counted in working days, and bad input
gets a clear error and changes nothing."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent, AuditEventType
from cases.models import CalendarOverride, Case
from cases.services.deadlines import case_deadline_set
from cases.workflow import CaseState
from tests import flows
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
ADD = reverse("admin:cases_calendaroverride_add")


@pytest.fixture
def admin_client(client, unit):
    client.force_login(UserFactory(units=[unit], roles=[Role.ADMINISTRATOR], is_staff=True))
    return client


def admin_events():
    return AuditEvent.objects.filter(
        event_type__in=[
            AuditEventType.ADMIN_OBJECT_CREATED,
            AuditEventType.ADMIN_OBJECT_CHANGED,
            AuditEventType.ADMIN_OBJECT_DELETED,
        ]
    )


def test_a_day_off_entered_is_audited_and_moves_an_open_deadline(admin_client, unit):
    flow = flows.taian_case_at(CaseState.REGISTERED, unit=unit)
    entered = datetime.datetime(2026, 2, 13, 10, 0, tzinfo=SHANGHAI)
    Case.objects.filter(pk=flow.case.pk).update(state_entered_at=entered)
    case_deadline_set(case=Case.objects.get(pk=flow.case.pk))  # Thursday 5 March

    response = admin_client.post(
        ADD, {"date": "2026-03-04", "is_working_day": "", "note": "本地调整"}, follow=True
    )
    assert response.status_code == 200
    override = CalendarOverride.objects.get()
    assert (override.date, override.is_working_day) == (datetime.date(2026, 3, 4), False)
    [event] = admin_events()
    assert event.event_type == AuditEventType.ADMIN_OBJECT_CREATED
    assert event.data["after"]["date"] == "2026-03-04"
    assert Case.objects.get(pk=flow.case.pk).deadline_at == datetime.datetime(
        2026, 3, 6, 10, 0, tzinfo=SHANGHAI
    )
    assert "重新计算 1 件案件" in response.content.decode()
    [moved] = AuditEvent.objects.filter(case=flow.case, event_type=AuditEventType.CASE_UPDATED)
    assert moved.summary == "工作日历调整，重新计算本阶段期限"
    assert moved.actor.has_role(Role.ADMINISTRATOR)

    # Deleting it is audited and puts the deadline back.
    response = admin_client.post(
        reverse("admin:cases_calendaroverride_delete", args=[override.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not CalendarOverride.objects.exists()
    assert admin_events().filter(event_type=AuditEventType.ADMIN_OBJECT_DELETED).count() == 1
    assert Case.objects.get(pk=flow.case.pk).deadline_at == datetime.datetime(
        2026, 3, 5, 10, 0, tzinfo=SHANGHAI
    )


def test_a_working_weekend_for_a_year_the_library_does_not_know(admin_client):
    response = admin_client.post(
        ADD, {"date": "2099-01-03", "is_working_day": "on", "note": "2099年节假日安排通知"}
    )
    assert response.status_code == 302
    assert CalendarOverride.objects.get().is_working_day
    # The list shows what the official calendar says beside it.
    page = admin_client.get(reverse("admin:cases_calendaroverride_changelist")).content.decode()
    assert "2099" in page and "休息日" in page


@pytest.mark.parametrize(
    ("data", "error"),
    [
        # What the official calendar already says: a mistake, not an override.
        (
            {"date": "2026-02-17", "is_working_day": "", "note": "春节"},
            "2026-02-17 按国家法定节假日安排本就放假，无需调整。",
        ),
        (
            {"date": "2026-02-14", "is_working_day": "on", "note": "春节调休"},
            "2026-02-14 按国家法定节假日安排本就是工作日，无需调整。",
        ),
        ({"date": "2026-02-30", "is_working_day": "", "note": "x"}, "输入一个有效的日期。"),
        ({"date": "", "is_working_day": "", "note": "x"}, "这个字段是必填项。"),
        ({"date": "2026-03-04", "is_working_day": "", "note": ""}, "这个字段是必填项。"),
    ],
    ids=["already-off", "already-working", "no-such-day", "no-date", "no-note"],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(admin_client, data, error):
    response = admin_client.post(ADD, data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not CalendarOverride.objects.exists()
    assert not admin_events().exists()


def test_a_day_already_overridden_is_refused(admin_client):
    CalendarOverride.objects.create(date=datetime.date(2026, 3, 4), is_working_day=False, note="a")
    response = admin_client.post(ADD, {"date": "2026-03-04", "is_working_day": "", "note": "b"})
    assert response.status_code == 200
    assert "具有 日期 的 工作日历调整 已存在。" in response.content.decode()
    assert list(CalendarOverride.objects.values_list("note", flat=True)) == ["a"]
    assert not admin_events().exists()


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.SECURITY_ADMINISTRATOR])
def test_no_one_else_keeps_the_calendar(client, unit, role):
    client.force_login(UserFactory(units=[unit], roles=[role], is_staff=True))
    response = client.post(ADD, {"date": "2026-03-04", "is_working_day": "", "note": "x"})
    assert response.status_code in (302, 403)
    assert not CalendarOverride.objects.exists()
