"""The optional TOTP second factor of the administrative roles (django-otp):
enrolment with a real code, the code after every password login, wrong codes
refused with a clear message, the admin closed to an unverified session, the
security administrator's audited reset, and nothing asked when the setting
is off."""

import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import errors as accounts_errors
from accounts.roles import Role
from accounts.second_factor import second_factor_reset
from audit.models import AuditEvent, AuditEventType
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

VERIFY = reverse("second_factor_verify")
ENROL = reverse("second_factor_enrol")
QR = reverse("second_factor_qr")
ADMIN = reverse("admin:index")
WRONG_CODE = str(accounts_errors.TOTP_WRONG)


@pytest.fixture
def totp_on(settings):
    settings.JINZHI_ADMIN_TOTP = True


@pytest.fixture
def system_admin(unit):
    return UserFactory(username="sysadmin", units=[unit], roles=[Role.ADMINISTRATOR], is_staff=True)


def code_for(device: TOTPDevice, offset_steps: int = 0) -> str:
    """The code an authenticator app shows (RFC 6238 with the device's key),
    now or `offset_steps` time steps away."""
    if offset_steps == 0:
        token = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    else:
        clock = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        clock.time = time.time() + offset_steps * device.step
        token = clock.token()
    return f"{token:0{device.digits}d}"


def password_login(client, user) -> None:
    response = client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def test_an_administrator_enrols_with_a_real_code_and_is_let_in(client, totp_on, system_admin):
    password_login(client, system_admin)
    # Nothing opens before the second factor: the admin sends to the code step,
    # which sends an account without a device to enrolment.
    response = client.get(ADMIN)
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    assert client.get(VERIFY).url == ENROL
    page = client.get(ENROL)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=system_admin, confirmed=False)
    assert page.context["secret"].replace(" ", "") in device.config_url
    qr = client.get(QR)
    assert qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content and b"<script" not in qr.content
    assert b"style=" not in qr.content

    response = client.post(ENROL, {"token": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(ADMIN).status_code == 200
    [event] = AuditEvent.objects.filter(event_type=AuditEventType.SECOND_FACTOR_ENROLLED)
    assert event.actor == system_admin
    # Enrolled: no second device may be added without a reset.
    assert client.get(ENROL).url == VERIFY
    assert client.get(QR).status_code == 404


def test_a_wrong_code_at_enrolment_is_refused_and_confirms_nothing(client, totp_on, system_admin):
    password_login(client, system_admin)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=system_admin)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(ENROL, {"token": wrong})
    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(ADMIN).status_code == 302
    assert not AuditEvent.objects.filter(event_type=AuditEventType.SECOND_FACTOR_ENROLLED)


def test_the_code_after_the_password_lets_the_administrator_in(client, totp_on, system_admin):
    device = enrolled(system_admin)
    password_login(client, system_admin)
    response = client.get(ADMIN)
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    response = client.post(VERIFY, {"token": code_for(device), "next": ADMIN})
    assert response.status_code == 302 and response.url == ADMIN
    assert client.get(ADMIN).status_code == 200


@pytest.mark.parametrize("token", ["wrong", "12345", "1234567", ""])
def test_a_malformed_code_is_refused_with_a_clear_message(client, totp_on, system_admin, token):
    enrolled(system_admin)
    password_login(client, system_admin)
    response = client.post(VERIFY, {"token": token})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert client.get(ADMIN).status_code == 302


def test_a_wrong_code_is_refused_and_the_admin_stays_closed(client, totp_on, system_admin):
    device = enrolled(system_admin)
    password_login(client, system_admin)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"token": wrong})
    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    response = client.get(ADMIN)
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    # A code of a stale time window is no good either.
    assert WRONG_CODE in client.post(VERIFY, {"token": code_for(device, -10)}).content.decode()


def test_every_administrative_role_owes_the_code_but_not_the_case_roles(client, totp_on, unit):
    for role in (Role.SECURITY_ADMINISTRATOR, Role.AUDIT_ADMINISTRATOR):
        admin = UserFactory(units=[unit], roles=[role], is_staff=True)
        client.force_login(admin)
        assert client.get(ADMIN).url.startswith(VERIFY), role
    inspector = UserFactory(units=[unit], roles=[Role.INSPECTOR])
    client.force_login(inspector)
    assert client.get(reverse("cases:list")).status_code == 200
    assert client.get(VERIFY).status_code == 302  # nothing to verify: sent on
    assert not TOTPDevice.objects.filter(user=inspector).exists()


def test_with_the_setting_off_nothing_is_asked(client, settings, system_admin):
    settings.JINZHI_ADMIN_TOTP = False
    enrolled(system_admin)
    password_login(client, system_admin)
    assert client.get(ADMIN).status_code == 200
    assert client.get(ENROL).status_code == 302
    assert client.get(QR).status_code == 404


def test_the_security_administrator_resets_a_device_audited(client, totp_on, system_admin, unit):
    security_admin = UserFactory(units=[unit], roles=[Role.SECURITY_ADMINISTRATOR], is_staff=True)
    security_admin_client = Client()
    security_admin_client.force_login(security_admin)
    security_admin_client.post(VERIFY, {"token": code_for(enrolled(security_admin))})
    device = enrolled(system_admin)
    password_login(client, system_admin)
    client.post(VERIFY, {"token": code_for(device)})
    assert client.get(ADMIN).status_code == 200

    response = security_admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factors", "_selected_action": [system_admin.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=system_admin).exists()
    [event] = AuditEvent.objects.filter(event_type=AuditEventType.SECOND_FACTOR_RESET)
    assert event.data["devices_removed"] == 1
    # The session verified by the removed device is verified no more: enrol again.
    assert client.get(ADMIN).url.startswith(VERIFY)
    assert client.get(VERIFY).url == ENROL


def test_no_one_else_resets_a_device(totp_on, system_admin, unit):
    from django.core.exceptions import PermissionDenied

    enrolled(system_admin)
    for role in (Role.ADMINISTRATOR, Role.AUDIT_ADMINISTRATOR, Role.LEADERSHIP_CHAIR):
        actor = UserFactory(units=[unit], roles=[role], is_staff=True)
        with pytest.raises(PermissionDenied):
            second_factor_reset(actor=actor, user=system_admin)
    assert TOTPDevice.objects.filter(user=system_admin).exists()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.SECOND_FACTOR_RESET)
