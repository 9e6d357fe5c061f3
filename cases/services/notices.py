"""Hand-off notices: in-app (cases.models.Notification) and by e-mail.

The workflow table names who is told at each hand-off (cases.workflow:
Move.notices for the moves, HANDOFFS for the hand-offs inside a stage); the
services call `move_notify` / `handoff_notify`, which send them once the
transaction commits, so a refused or rolled-back step tells nobody.

E-mail goes through Django's mail backend (console on the embedded default,
SMTP from EMAIL_URL in production): immediately, or in one daily digest for
users who chose it (User.notice_delivery; `send_digests`)."""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.messages import param_text
from cases.models import Case, Notification
from cases.parties import PARTIES
from cases.workflow import HANDOFFS, MOVES, STAGES, WAITING, CaseState, Notice, NoticeKind

# The text of each kind of hand-off notice, filled from the notice's params
# in the reader's language. Deadline notices keep the scan's message.
TEXTS = {
    NoticeKind.ASSIGNED: gettext_lazy("您被指派办理案件%(number)s：%(step)s。"),
    NoticeKind.TURN: gettext_lazy("案件%(number)s已进入“%(stage)s”阶段，等待您：%(step)s。"),
    NoticeKind.PANEL_FORMED: gettext_lazy("案件%(number)s的专家组已组建：%(names)s。"),
    NoticeKind.OPINION_DUE: gettext_lazy(
        "您被选为案件%(number)s的专家组成员，请就争议条款出具论证意见。"
    ),
    NoticeKind.MEETING_CONVENED: gettext_lazy(
        "案件%(number)s的集体研究会议已召集：%(date)s，%(place)s。"
    ),
    NoticeKind.VOTING_OPEN: gettext_lazy("案件%(number)s的集体研究已提出认定意见，请表态。"),
    NoticeKind.RESULT_ANNOUNCED: gettext_lazy("案件%(number)s的集体研究表决结果已宣布。"),
    NoticeKind.PACKAGE_FILED: gettext_lazy("案件%(number)s的备案材料包已报送，请下载核对后签收。"),
    NoticeKind.RECEIPT_ACKNOWLEDGED: gettext_lazy(
        "%(name)s已签收案件%(number)s的备案材料包第%(version)s版。"
    ),
}

# Params holding a Chinese label (a msgid) that is translated when shown.
TRANSLATED_PARAMS = ("step",)


def notice_text(notification: Notification) -> str:
    """The notice in the active language: its kind's text filled from its
    params; the stored message when it has none (deadline notices)."""
    template = TEXTS.get(notification.kind)
    if template is None or not notification.params:
        return notification.message
    params = {key: param_text(value) for key, value in notification.params.items()}
    for key in TRANSLATED_PARAMS:
        if key in params:
            params[key] = _(params[key])
    if "state" in params:
        params["stage"] = CaseState(params["state"]).label
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return notification.message


def _recipients(case: Case, notice: Notice) -> list[User]:
    if notice.recipients == WAITING:
        from cases.selectors import case_responsible_users

        return case_responsible_users(case)
    return PARTIES[notice.recipients].users(case)


def _steps_by_user(case: Case) -> dict[int, str]:
    """The step the case now waits on each of its parties for (its Chinese
    msgid, which notice_text translates for the reader): the first duty of
    the stage that names them. Worked out once for all the recipients."""
    steps: dict[int, str] = {}
    with translation.override(settings.LANGUAGE_CODE):
        for duty in STAGES[case.state].duties:
            for user in PARTIES[duty.party].users(case):
                steps.setdefault(user.pk, str(duty.step))
    return steps


def notify(
    kind: str,
    *,
    case: Case,
    recipients: Iterable[User],
    actor: User | None = None,
    params: dict | None = None,
) -> list[Notification]:
    """Create one notice of the kind for each recipient (active accounts,
    each once, never the actor), in the caller's transaction; e-mail the
    ones who want it immediately once that commits. Returns the notices."""
    kind = NoticeKind(kind)
    users: dict[int, User] = {}
    for user in recipients:
        if user is not None and user.is_active and (actor is None or user.pk != actor.pk):
            users.setdefault(user.pk, user)
    if not users:
        return []
    base = {"number": case.display_number, "state": case.state, **(params or {})}
    created = []
    steps = _steps_by_user(case) if "step" not in base else {}
    for user in users.values():
        user_params = dict(base)
        if "step" not in user_params:
            user_params["step"] = steps.get(user.pk, "")
        notification = Notification(
            user=user,
            case=case,
            kind=kind,
            state=case.state,
            params=user_params,
            actor=actor,
        )
        with translation.override(settings.LANGUAGE_CODE):
            notification.message = notice_text(notification)[:300]
        created.append(notification)
    # Not audited one by one: the step that hands over is (and names who
    # acts next); the notices themselves are the record of who was told.
    Notification.objects.bulk_create(created)
    ids = [n.pk for n in created]
    transaction.on_commit(lambda: email_immediately(ids))
    return created


def _send(notices: list[Notice], case: Case, actor: User | None, params: dict | None) -> None:
    for notice in notices:
        notify(
            notice.kind,
            case=case,
            recipients=_recipients(case, notice),
            actor=actor,
            params=params,
        )


def move_notify(*, case: Case, name: str, actor: User | None) -> None:
    """Tell the people the move's notices name (cases.services.transitions
    calls it once the move is made, in its transaction)."""
    _send(list(MOVES[name].notices), case, actor, None)


def handoff_notify(
    event: str, *, case: Case, actor: User | None = None, params: dict | None = None
) -> None:
    """Tell the people a hand-off inside a stage names (cases.workflow.HANDOFFS)."""
    _send(list(HANDOFFS[event]), case, actor, params)


# --- e-mail ------------------------------------------------------------------------------


def notice_path(notification: Notification) -> str:
    """The page the notice leads to: the filings inbox for the liaison's
    package, else the case page."""
    if notification.kind == NoticeKind.PACKAGE_FILED:
        return reverse("filings:inbox")
    return reverse("cases:detail", args=[notification.case_id])


def _case_url(notification: Notification) -> str:
    return settings.SITE_URL.rstrip("/") + notice_path(notification)


def _items(notices: list[Notification]) -> list[dict]:
    return [{"notice": n, "url": _case_url(n)} for n in notices]


def email_immediately(notification_ids: list[int]) -> int:
    """E-mail each of these notices whose user wants it immediately and has
    an address; mark them sent. Returns how many went out."""
    pending = Notification.objects.filter(
        pk__in=notification_ids,
        emailed_at__isnull=True,
        user__notice_delivery=User.NoticeDelivery.IMMEDIATE,
        user__is_active=True,
    ).exclude(user__email="")
    sent = 0
    for notification in pending.select_related("user", "case"):
        subject = f"{settings.SITE_TITLE}：{notification.message}"[:200]
        body = render_to_string(
            "cases/email/notice.txt",
            {"items": _items([notification]), "user": notification.user},
        )
        delivered = send_mail(
            subject=subject,
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.user.email],
            fail_silently=True,
        )
        if delivered:
            Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
            sent += 1
    return sent


def send_digests(*, now: datetime.datetime | None = None) -> int:
    """One e-mail per user who chose the daily digest, listing their notices
    not yet e-mailed; marks them sent. Safe to run again: a notice goes out
    once. Returns the number of e-mails sent."""
    now = now or timezone.now()
    pending = (
        Notification.objects.filter(
            emailed_at__isnull=True,
            user__notice_delivery=User.NoticeDelivery.DIGEST,
            user__is_active=True,
            created_at__lte=now,
        )
        .exclude(user__email="")
        .select_related("user", "case")
        .order_by("user_id", "created_at", "pk")
    )
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for notification in pending:
        by_user[notification.user_id].append(notification)
    sent = 0
    for notices in by_user.values():
        user = notices[0].user
        body = render_to_string("cases/email/notice.txt", {"items": _items(notices), "user": user})
        delivered = send_mail(
            subject=_("%(site)s：每日提醒汇总（%(count)s条）")
            % {"site": settings.SITE_TITLE, "count": len(notices)},
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
            fail_silently=True,
        )
        if delivered:
            Notification.objects.filter(pk__in=[n.pk for n in notices]).update(emailed_at=now)
            sent += 1
    return sent


# --- reading -----------------------------------------------------------------------------


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one of the user's notices read, or all of them (no id). Someone
    else's notice, or an unknown one, changes nothing. Returns how many."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())
