import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils.translation import gettext_lazy as _


class ChineseByDefaultMiddleware:
    """The interface is Simplified Chinese unless the user chose another
    language with the switch (a cookie): a browser's Accept-Language alone
    does not change it, since bureau machines often run English systems."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Headers every response carries: a Permissions-Policy, and for a
    logged-in user `Cache-Control: no-store`, so that a page (a vote form, a
    case) is never served from the browser cache after Back or after logout."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
            response.headers.pop("Last-Modified", None)
            response.headers.pop("ETag", None)
        return response


SESSION_STARTED = "_session_started"
SESSION_LAST_SEEN = "_session_last_seen"
# The time of the last request travels in a signed browser-session cookie, so
# that keeping the idle clock costs no database write (and no query) per page;
# the session keeps the login time (written once, at login).
SEEN_COOKIE = "jinzhi_seen"
SEEN_SALT = "accounts.session-seen"
SESSION_ENDED_MESSAGE = _("您已较长时间未操作，为保障安全已自动退出，请重新登录。")


class SessionTimeoutMiddleware:
    """Ends a logged-in session after SESSION_IDLE_SECONDS without a request
    and SESSION_ABSOLUTE_SECONDS after login, whichever comes first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = int(time.time())
        started = request.session.get(SESSION_STARTED)
        if started is None:  # a session from before this clock existed
            started = request.session[SESSION_STARTED] = now
        try:
            seen = int(request.get_signed_cookie(SEEN_COOKIE, default="", salt=SEEN_SALT))
        except ValueError:
            # No cookie (a new browser session, or a test client): the login time.
            seen = request.session.get(SESSION_LAST_SEEN, started)
        if (
            now - seen > settings.SESSION_IDLE_SECONDS
            or now - started > settings.SESSION_ABSOLUTE_SECONDS
        ):
            logout(request)
            messages.info(request, SESSION_ENDED_MESSAGE)
            login_url = (
                f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}"
            )
            if request.headers.get("HX-Request") == "true":
                response = HttpResponse(status=204)
                response.headers["HX-Redirect"] = login_url
            else:
                response = redirect(login_url)
            response.delete_cookie(SEEN_COOKIE)
            return response
        response = self.get_response(request)
        response.set_signed_cookie(
            SEEN_COOKIE,
            str(now),
            salt=SEEN_SALT,
            httponly=True,
            secure=settings.SESSION_COOKIE_SECURE,
            samesite="Lax",
        )
        return response


# Pages an account that owes its second factor may open: the two steps
# themselves, the QR code, logging out and the language switch.
SECOND_FACTOR_OPEN_VIEWS = frozenset(
    {"second_factor_verify", "second_factor_enrol", "second_factor_qr", "logout", "set_language"}
)


class AdminSecondFactorMiddleware:
    """With settings.JINZHI_ADMIN_TOTP on, an administrative account logged in
    by password alone opens nothing, the admin included, until it gives a
    TOTP code (accounts.second_factor); it is sent to that step instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from accounts.second_factor import second_factor_required

        user = getattr(request, "user", None)
        if user is None or not second_factor_required(user) or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in SECOND_FACTOR_OPEN_VIEWS:
            return None
        verify_url = resolve_url("second_factor_verify")
        return redirect(f"{verify_url}?{urlencode({'next': request.get_full_path()})}")
