"""Receivers that turn security events into audit events."""

import time

from accounts.middleware import SESSION_LAST_SEEN, SESSION_STARTED
from accounts.services import login_lockout_record


def record_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    login_lockout_record(username=username or "", ip_address=ip_address)


def start_session_clock(sender, request=None, user=None, **kwargs):
    """The session's absolute and idle clocks start at login (so that the
    first page after it writes nothing more to the session)."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SESSION_STARTED] = now
        request.session[SESSION_LAST_SEEN] = now
