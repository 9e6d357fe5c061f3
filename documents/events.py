"""The dates documents print, read from the case's recorded events, so a
document rendered again later carries the same date."""

from __future__ import annotations

import datetime

from django.utils import timezone

from audit.models import AuditEvent, AuditEventType


def move_date(case, move: str) -> datetime.date | None:
    """The day (local) the case last made the workflow move `move`
    ('register', 'decide', 'file', …); None when it never did."""
    event = (
        AuditEvent.objects.filter(
            case=case, event_type=AuditEventType.CASE_TRANSITIONED, data__transition=move
        )
        .order_by("-sequence")
        .only("occurred_at")
        .first()
    )
    return timezone.localtime(event.occurred_at).date() if event else None
