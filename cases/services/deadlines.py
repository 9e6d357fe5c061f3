"""Stage time limits, and the scan that notifies people of cases due soon or
overdue (run by celery beat)."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop as _noop

from audit.messages import HistoryMessage, date_param, history_message, term
from audit.models import AuditEventType
from audit.services import audit_record
from cases.models import Case, Notification, StageDeadline
from cases.selectors import case_responsible_users
from cases.services.working_calendar import deadline_after, warning_starts, working_calendar

# Stages with nothing left to do have no time limit.
from cases.workflow import DEFAULT_WARN_DAYS, FINAL_STATES, STAGES


def stage_deadline_for(case: Case, limits: dict | None = None) -> StageDeadline | None:
    """The unit's own limit for the case's stage, else the default one.
    `limits` ({(unit id or None, state): limit}) saves the query in a loop."""
    if limits is None:
        limits = {
            (limit.unit_id, limit.state): limit
            for limit in StageDeadline.objects.filter(
                Q(unit_id=case.unit_id) | Q(unit__isnull=True), state=case.state
            )
        }
    return limits.get((case.unit_id, case.state)) or limits.get((None, case.state))


def case_deadline_set(*, case: Case) -> None:
    """Set the deadline of the stage the case just entered (in the caller's
    transaction)."""
    limit = None if case.state in FINAL_STATES else stage_deadline_for(case)
    case.deadline_at = (
        deadline_after(case.state_entered_at, limit.days, limit.day_kind) if limit else None
    )
    case.save(update_fields=["deadline_at"])


def _notify(case: Case, kind: str, message: HistoryMessage) -> int:
    """Tell each responsible user once; `message` is the notification's text
    (stored in Chinese) and the history entry (read in the reader's language)."""
    text = message.in_source_language()
    sent = 0
    for user in case_responsible_users(case):
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    user=user,
                    case=case,
                    kind=kind,
                    state=case.state,
                    deadline_at=case.deadline_at,
                    message=text,
                )
                audit_record(
                    event_type=AuditEventType.DEADLINE_NOTIFIED,
                    case=case,
                    obj=notification,
                    summary=message,
                    data={"user": user.pk, "kind": kind, "state": case.state},
                )
        except IntegrityError:
            continue  # already told about this deadline
        sent += 1
        # Users who chose the daily digest get it there (send_digests).
        wants_now = user.notice_delivery == user.NoticeDelivery.IMMEDIATE
        if (
            user.email
            and wants_now
            and send_mail(
                subject=text,
                message=text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[user.email],
                fail_silently=True,
            )
        ):
            Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return sent


def deadlines_scan(*, now: datetime.datetime | None = None) -> int:
    """Notify the responsible users of every case overdue or due within its
    warning period. Safe to run as often as wanted: each user hears once per
    stage deadline and kind. Returns the number of notifications created."""
    now = now or timezone.now()
    created = 0
    due = (
        Case.objects.exclude(state__in=FINAL_STATES)
        .filter(deadline_at__isnull=False)
        .select_related("unit")
    )
    limits = {(limit.unit_id, limit.state): limit for limit in StageDeadline.objects.all()}
    calendar = working_calendar()
    for case in due.iterator():
        limit = stage_deadline_for(case, limits)
        # The warning is counted as the limit is (working days by default).
        warn_from = warning_starts(
            case.deadline_at,
            limit.warn_days_before if limit else DEFAULT_WARN_DAYS,
            limit.day_kind if limit else STAGES[case.state].day_kind,
            calendar,
        )
        if case.deadline_at <= now:
            message = _noop("案件%(number)s在“%(stage)s”阶段已超期（期限%(deadline)s）。")
            kind = Notification.Kind.OVERDUE
        elif warn_from <= now:
            message = _noop("案件%(number)s在“%(stage)s”阶段即将到期（期限%(deadline)s）。")
            kind = Notification.Kind.DUE_SOON
        else:
            continue
        local = timezone.localtime(case.deadline_at)
        created += _notify(
            case,
            kind,
            history_message(
                message,
                number=case.display_number,
                stage=term(case.get_state_display()),
                deadline=date_param(local.date()),
            ),
        )
    return created
