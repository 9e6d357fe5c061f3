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
# Writing the session on every request would cost a query each time: the
# last-seen time is refreshed when it is this much out of date.
LAST_SEEN_PRECISION = 60
SESSION_ENDED_MESSAGE = _("您已较长时间未操作，为保障安全已自动退出，请重新登录。")


class SessionTimeoutMiddleware:
    """Ends a logged-in session after SESSION_IDLE_SECONDS without a request
    and SESSION_ABSOLUTE_SECONDS after login, whichever comes first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(SESSION_STARTED, now)
            last_seen = request.session.get(SESSION_LAST_SEEN, now)
            if (
                now - last_seen > settings.SESSION_IDLE_SECONDS
                or now - started > settings.SESSION_ABSOLUTE_SECONDS
            ):
                logout(request)
                messages.info(request, SESSION_ENDED_MESSAGE)
                login_url = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}"
                if request.headers.get("HX-Request") == "true":
                    response = HttpResponse(status=204)
                    response.headers["HX-Redirect"] = login_url
                    return response
                return redirect(login_url)
            if now - last_seen >= LAST_SEEN_PRECISION or SESSION_LAST_SEEN not in request.session:
                request.session[SESSION_LAST_SEEN] = now
        return self.get_response(request)
