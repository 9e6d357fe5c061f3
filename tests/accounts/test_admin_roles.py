"""三员分立: the system, security and audit administrators, each with their
part of the admin and none with case content; the superuser flag grants
nothing; every administrative change is audited."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from accounts import errors as accounts_errors
from accounts.demo import ACCOUNTS, seed_demo_data
from accounts.models import Unit, User
from accounts.roles import ADMINISTRATIVE_ROLES, Role
from accounts.services import account_unlock, admin_object_save
from audit.models import AuditEvent, AuditEventType
from cases.models import StageDeadline
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def events_of(event_type):
    return list(AuditEvent.objects.filter(event_type=event_type).order_by("sequence"))


def test_the_superuser_flag_grants_nothing(unit):
    case = CaseFactory(unit=unit)
    superuser = UserFactory(units=[unit], is_staff=True, is_superuser=True)
    for perm in (
        "cases.view_case",
        "cases.withdraw_case",
        "deliberation.vote",
        "cases.view_evidence",
    ):
        assert not superuser.has_perm(perm, case), perm
    for perm in ("cases.add_case", "accounts.change_unit", "audit.view_auditevent"):
        assert not superuser.has_perm(perm), perm
    assert not superuser.has_module_perms("accounts")


def test_a_superuser_is_refused_case_pages_and_the_admin(client, unit):
    case = CaseFactory(unit=unit)
    client.force_login(UserFactory(units=[unit], is_staff=True, is_superuser=True))
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code in (403, 404)
    assert client.get(reverse("admin:accounts_unit_changelist")).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 403


@pytest.mark.parametrize("role", sorted(ADMINISTRATIVE_ROLES))
def test_no_administrative_role_reads_a_case(client, unit, role):
    case = CaseFactory(unit=unit)
    admin = UserFactory(units=[unit], roles=[role], is_staff=True)
    assert not admin.has_perm("cases.view_case", case)
    client.force_login(admin)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code in (403, 404)
    assert case.number not in client.get(reverse("cases:list")).content.decode()


def test_each_administrator_opens_only_their_part_of_the_admin(
    system_admin_client, security_admin_client, audit_admin_client
):
    expected = {
        "admin:accounts_unit_changelist": (200, 403, 403),
        "admin:cases_stagedeadline_changelist": (200, 403, 403),
        "admin:deliberation_decisionrules_changelist": (200, 403, 403),
        "admin:accounts_user_changelist": (200, 200, 403),
        "admin:protections_designation_changelist": (403, 200, 403),
        "admin:audit_auditevent_changelist": (403, 403, 200),
        "admin:cases_case_changelist": (403, 403, 403),
    }
    clients = (system_admin_client, security_admin_client, audit_admin_client)
    for name, statuses in expected.items():
        got = tuple(c.get(reverse(name)).status_code for c in clients)
        assert got == statuses, name


def test_a_unit_created_in_the_admin_is_audited(system_admin_client):
    response = system_admin_client.post(
        reverse("admin:accounts_unit_add"),
        {
            "name": "新泰市市场监督管理局",
            "abbreviation": "新市监",
            "kind": "county_bureau",
            "level": "county",
            "jurisdiction": "taian",
        },
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="新泰市市场监督管理局")
    [event] = events_of(AuditEventType.ADMIN_OBJECT_CREATED)
    assert event.object_type == "accounts.Unit" and event.object_id == str(unit.pk)
    assert event.data["after"]["abbreviation"] == "新市监"


def test_a_stage_deadline_change_is_audited_with_before_and_after(system_admin_client, unit):
    deadline = StageDeadline.objects.create(unit=unit, state="investigating", days=30)
    response = system_admin_client.post(
        reverse("admin:cases_stagedeadline_change", args=[deadline.pk]),
        {
            "unit": unit.pk,
            "state": "investigating",
            "days": 45,
            "day_kind": "calendar",
            "warn_days_before": 5,
        },
    )
    assert response.status_code == 302
    [event] = events_of(AuditEventType.ADMIN_OBJECT_CHANGED)
    assert event.data["before"]["days"] == 30
    assert event.data["after"]["days"] == 45
    assert (event.data["before"]["day_kind"], event.data["after"]["day_kind"]) == (
        "working",
        "calendar",
    )


def test_the_service_refuses_an_actor_without_the_permission(unit):
    inspector = UserFactory(units=[unit], roles=[Role.INSPECTOR])
    with pytest.raises(PermissionDenied):
        admin_object_save(actor=inspector, obj=Unit(name="x", abbreviation="x"))
    assert not Unit.objects.filter(name="x").exists()
    assert not AuditEvent.objects.exists()


def test_the_system_administrator_creates_an_account_and_it_is_audited(system_admin_client):
    response = system_admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "new_inspector",
            "password1": "Jinzhi-2026-Strong",
            "password2": "Jinzhi-2026-Strong",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="new_inspector")
    assert not user.is_superuser and not user.is_staff
    [event] = events_of(AuditEventType.ACCOUNT_CREATED)
    assert event.object_id == str(user.pk)
    assert "password" not in event.data["after"]


def test_a_weak_password_is_refused_for_a_new_account(system_admin_client):
    response = system_admin_client.post(
        reverse("admin:accounts_user_add"),
        {"username": "weak", "password1": "abcdefghijkl", "password2": "abcdefghijkl"},
    )
    assert response.status_code == 200
    assert accounts_errors.PASSWORD_TOO_SIMPLE % {"n": 3} in response.content.decode()
    assert not User.objects.filter(username="weak").exists()


def change_form(user, **overrides):
    data = {
        "username": user.username,
        "display_name": user.display_name,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "units": [u.pk for u in user.units.all()],
        "discipline_body": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def logged_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get(reverse("exemptions:index")).status_code == 200
    return client


def test_disabling_an_account_ends_its_sessions_and_is_audited(system_admin_client, unit):
    user = UserFactory(units=[unit], roles=[Role.INSPECTOR])
    session = logged_in_client(user)
    response = system_admin_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]), change_form(user, is_active=None)
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    assert session.get(reverse("exemptions:index")).status_code == 302
    [event] = events_of(AuditEventType.ACCOUNT_DISABLED)
    assert event.data["before"]["is_active"] is True


def test_the_system_administrator_cannot_assign_roles(system_admin_client, unit):
    user = UserFactory(units=[unit], roles=[Role.INSPECTOR])
    chair = Group.objects.get(name=Role.LEADERSHIP_CHAIR)
    system_admin_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        change_form(user, groups=[chair.pk]),
    )
    assert list(user.groups.values_list("name", flat=True)) == [Role.INSPECTOR]


def test_the_security_administrator_assigns_roles_ends_sessions_and_is_audited(
    security_admin_client, unit
):
    user = UserFactory(units=[unit], roles=[Role.INSPECTOR])
    session = logged_in_client(user)
    security = Group.objects.get(name=Role.AUDIT_ADMINISTRATOR)
    response = security_admin_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]), {"groups": [security.pk]}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert list(user.groups.values_list("name", flat=True)) == [Role.AUDIT_ADMINISTRATOR]
    # An administrative role makes the account staff; a role change ends its sessions.
    assert user.is_staff
    assert session.get(reverse("exemptions:index")).status_code == 302
    [event] = events_of(AuditEventType.ROLES_CHANGED)
    assert event.data["before"]["roles"] == [Role.INSPECTOR]
    assert event.data["after"]["roles"] == [Role.AUDIT_ADMINISTRATOR]


def test_the_security_administrator_cannot_rename_or_disable(security_admin_client, unit):
    user = UserFactory(units=[unit], roles=[Role.INSPECTOR], display_name="原名")
    security_admin_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        change_form(user, display_name="改名", is_active=None, groups=[]),
    )
    user.refresh_from_db()
    assert (user.display_name, user.is_active) == ("原名", True)


def test_only_the_security_administrator_unlocks(unit):
    system_admin = UserFactory(units=[unit], roles=[Role.ADMINISTRATOR], is_staff=True)
    with pytest.raises(PermissionDenied):
        account_unlock(actor=system_admin, username="ta_inspector")
    assert not events_of(AuditEventType.ACCOUNT_UNLOCKED)


def test_no_demo_account_is_a_superuser_and_the_three_administrators_exist():
    seed_demo_data()
    assert not User.objects.filter(is_superuser=True).exists()
    roles = {role for account in ACCOUNTS for role in account.roles}
    assert roles >= ADMINISTRATIVE_ROLES
    for username in ("ta_admin", "ta_secadmin", "ta_auditor"):
        assert User.objects.get(username=username).is_staff


def test_seeding_demotes_a_demo_administrator_made_superuser_before():
    seed_demo_data()
    User.objects.filter(username="ta_admin").update(is_superuser=True)
    seed_demo_data()
    assert not User.objects.get(username="ta_admin").is_superuser
