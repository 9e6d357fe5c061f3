"""Receivers that turn security events into audit events."""

from accounts.services import login_lockout_record


def record_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    login_lockout_record(username=username or "", ip_address=ip_address)
