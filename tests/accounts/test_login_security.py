"""Login throttling (django-axes), session timeouts and password rules."""

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.signing import get_cookie_signer
from django.urls import reverse

from accounts.middleware import SEEN_COOKIE, SEEN_SALT, SESSION_LAST_SEEN, SESSION_STARTED
from accounts.roles import Role
from audit.models import AuditEvent, AuditEventType
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture
def inspector(unit):
    return UserFactory(username="wang", units=[unit], roles=[Role.INSPECTOR])


def attempt(client, password, username="wang"):
    return client.post(LOGIN, {"username": username, "password": password})


def test_ten_failures_lock_the_account_even_for_the_right_password(client, inspector):
    for _ in range(9):
        assert attempt(client, "wrong").status_code == 200
    assert not AuditEvent.objects.filter(event_type=AuditEventType.LOGIN_LOCKED_OUT).exists()
    locked = attempt(client, "wrong")
    assert locked.status_code == 429
    [event] = AuditEvent.objects.filter(event_type=AuditEventType.LOGIN_LOCKED_OUT)
    assert event.data == {"username": "wang", "ip_address": "127.0.0.1"}
    assert event.object_id == str(inspector.pk)
    refused = attempt(client, TEST_PASSWORD)
    assert refused.status_code == 429
    assert "已被锁定" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_success_resets_the_count(client, inspector):
    for _ in range(9):
        attempt(client, "wrong")
    assert attempt(client, TEST_PASSWORD).status_code == 302
    client.logout()
    for _ in range(9):
        attempt(client, "wrong")
    assert attempt(client, TEST_PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, inspector, settings):
    import datetime

    from axes.models import AccessAttempt

    for _ in range(10):
        attempt(client, "wrong")
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - datetime.timedelta(minutes=31)
    )
    assert attempt(client, TEST_PASSWORD).status_code == 302


def test_the_security_administrator_unlocks_and_it_is_audited(
    client, inspector, security_admin_client
):
    for _ in range(10):
        attempt(client, "wrong")
    response = security_admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock_accounts", "_selected_action": [inspector.pk]},
    )
    assert response.status_code == 302
    assert attempt(client, TEST_PASSWORD).status_code == 302
    [event] = AuditEvent.objects.filter(event_type=AuditEventType.ACCOUNT_UNLOCKED)
    assert event.object_id == str(inspector.pk)
    assert event.data["username"] == "wang"


def test_the_system_administrator_is_not_offered_the_unlock(system_admin_client, inspector):
    response = system_admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock_accounts", "_selected_action": [inspector.pk]},
    )
    assert not AuditEvent.objects.filter(event_type=AuditEventType.ACCOUNT_UNLOCKED).exists()
    assert response.status_code in (200, 302)


def logged_in(client, user):
    client.force_login(user)
    assert client.get(reverse("exemptions:index")).status_code == 200


def age_session(client, *, started_ago=0, seen_ago=0):
    session = client.session
    now = int(time.time())
    session[SESSION_STARTED] = now - started_ago
    session.save()
    signer = get_cookie_signer(salt=SEEN_COOKIE + SEEN_SALT)
    client.cookies[SEEN_COOKIE] = signer.sign(str(now - seen_ago))


def test_a_session_idle_longer_than_the_limit_ends(client, inspector):
    logged_in(client, inspector)
    age_session(client, seen_ago=31 * 60)
    response = client.get(reverse("exemptions:index"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    assert client.get(reverse("exemptions:index")).status_code == 302


def test_a_session_within_the_idle_limit_goes_on(client, inspector):
    logged_in(client, inspector)
    age_session(client, seen_ago=29 * 60)
    assert client.get(reverse("exemptions:index")).status_code == 200


def test_the_idle_limit_is_a_setting(client, inspector, settings):
    settings.SESSION_IDLE_SECONDS = 5 * 60
    logged_in(client, inspector)
    age_session(client, seen_ago=6 * 60)
    assert client.get(reverse("exemptions:index")).status_code == 302


def test_a_session_ends_twelve_hours_after_login_however_busy(client, inspector):
    logged_in(client, inspector)
    age_session(client, started_ago=12 * 3600 + 1, seen_ago=10)
    assert client.get(reverse("exemptions:index")).status_code == 302


def test_an_expired_htmx_request_is_sent_to_the_login_page(client, inspector):
    logged_in(client, inspector)
    age_session(client, seen_ago=31 * 60)
    response = client.get(reverse("exemptions:index"), headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"].startswith(LOGIN)


def test_a_forged_last_seen_cookie_counts_as_none(client, inspector):
    logged_in(client, inspector)
    # Logged in 31 minutes ago; a fresh but unsigned cookie does not help.
    session = client.session
    session[SESSION_STARTED] = session[SESSION_LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()
    client.cookies[SEEN_COOKIE] = str(int(time.time()))
    assert client.get(reverse("exemptions:index")).status_code == 302


def test_keeping_the_idle_clock_writes_nothing_to_the_database(client, inspector):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    logged_in(client, inspector)
    age_session(client, seen_ago=5 * 60)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("exemptions:index")).status_code == 200
    assert not [
        q
        for q in captured.captured_queries
        if "django_session" in q["sql"] and "UPDATE" in q["sql"]
    ]
    # The clock moved forward all the same, in the signed cookie.
    assert client.cookies[SEEN_COOKIE].value != ""


def test_the_session_ends_at_browser_close(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600


@pytest.mark.parametrize(
    "password",
    ["Short-1a", "abcdefghijklmn", "ABCDEFGH12345", "123456789012345", "password-password"],
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["Jinzhi-2026-Strong", "jinzhi-demo-2026", "Taian2026Bureau"])
def test_passwords_of_three_classes_and_twelve_characters_pass(password):
    validate_password(password)
