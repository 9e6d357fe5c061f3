"""Error pages: 400, 403, 404 with the navigation, in the reader's language,
and a 500 that renders without the database or the request's context (the
failure may be theirs).

With DEBUG on (the embedded demo of `make run`), Django would answer an
unknown address or a 404 raised in a view with its technical page, which lists
every URL pattern, and an exception with a traceback. The demo is used by
people trying the application, so `FriendlyErrorPagesMiddleware` serves the
pages below in DEBUG as well, unless the developer sets
TECHNICAL_ERROR_PAGES=true. Production (DEBUG off) uses the handlers in
config/urls.py directly.
"""

import logging

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.urls import get_resolver
from django.utils.functional import Promise
from django.utils.translation import gettext as _

logger = logging.getLogger("django.request")


def _message(exception) -> str:
    """A message the code raised for the reader, never the technical text of
    Django's resolver (a dict) or an empty one."""
    if exception is None or not isinstance(exception, PermissionDenied | Http404):
        return ""
    text = exception.args[0] if exception.args else ""
    # A named message of an app's errors module is a lazy translation.
    return str(text) if isinstance(text, str | Promise) else ""


def bad_request(request, exception=None, template_name="400.html"):
    return render(request, template_name, status=400)


def permission_denied(request, exception=None, template_name="403.html"):
    return render(request, template_name, {"reason": _message(exception)}, status=403)


def page_not_found(request, exception=None, template_name="404.html"):
    return render(request, template_name, {"reason": _message(exception)}, status=404)


def server_error(request=None, template_name="500.html"):
    """Static: no request context, no context processors, no queries."""
    return HttpResponse(loader.get_template(template_name).render(), status=500)


def csrf_failure(request, reason=""):
    """A form sent without its token (an expired page, cookies off)."""
    return render(
        request,
        "403.html",
        {"reason": _("页面已过期或浏览器未保存 Cookie，请返回上一页，刷新后重新提交。")},
        status=403,
    )


class FriendlyErrorPagesMiddleware:
    """In DEBUG, the error pages instead of Django's technical ones (see the
    module's docstring). Does nothing with DEBUG off, where Django already
    uses the handlers."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.active = settings.DEBUG and not getattr(settings, "TECHNICAL_ERROR_PAGES", False)

    def __call__(self, request):
        response = self.get_response(request)
        # An address no pattern matched: the resolver raised before any view,
        # so no resolver_match, and Django rendered its technical 404.
        if self.active and response.status_code == 404 and request.resolver_match is None:
            return get_resolver().resolve_error_handler(404)(request, Http404())
        return response

    def process_exception(self, request, exception):
        if not self.active:
            return None
        if isinstance(exception, Http404):
            return get_resolver().resolve_error_handler(404)(request, exception)
        if isinstance(exception, PermissionDenied):
            return None  # Django answers it with handler403, DEBUG or not
        if isinstance(exception, BadRequest | SuspiciousOperation):
            return get_resolver().resolve_error_handler(400)(request, exception)
        logger.exception("Internal Server Error: %s", request.path, exc_info=exception)
        return server_error(request)
