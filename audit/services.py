"""Appending to the audit trail. Every service that changes something calls
`audit_record` inside its own transaction, so the action and its event commit
or roll back together."""

from typing import TYPE_CHECKING

from django.db import models, router, transaction
from django.utils import timezone

from audit.chain import event_hash, normalise_data
from audit.keys import current_key_id
from audit.messages import MESSAGE_KEY, HistoryMessage
from audit.models import CHAIN_HEAD_ID, GENESIS_HASH, AuditChainHead, AuditEvent, AuditEventType

if TYPE_CHECKING:  # cases and the stage apps import this module
    from accounts.models import User
    from cases.models import Case

OUTSIDE_TRANSACTION_MESSAGE = (
    "audit_record() must be called inside the caller's transaction.atomic() block, "
    "so that the event commits or rolls back with the action it records."
)


def _chain_head_locked() -> AuditChainHead:
    """The chain head, locked until the caller's transaction ends. Created on
    the first append (or after the row was lost) from the last stored event."""
    try:
        return AuditChainHead.objects.select_for_update().get(pk=CHAIN_HEAD_ID)
    except AuditChainHead.DoesNotExist:
        last = AuditEvent.objects.order_by("-sequence").values("sequence", "hash").first()
        # Two first writers race here on PostgreSQL: the loser's INSERT waits for
        # the winner's commit, fails, and get_or_create then locks the winner's row.
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(
            pk=CHAIN_HEAD_ID,
            defaults={
                "last_sequence": last["sequence"] if last else 0,
                "last_hash": last["hash"] if last else GENESIS_HASH,
            },
        )
        return head


def audit_record(
    *,
    event_type: AuditEventType,
    actor: "User | None" = None,
    case: "Case | None" = None,
    obj: models.Model | None = None,
    summary: "str | HistoryMessage" = "",
    data: dict | None = None,
) -> AuditEvent:
    """Append one event to the audit trail and return it.

    `actor` is the acting user (None for a system job); `case` the case the
    event belongs to; `obj` what the event is about (defaults to the case);
    `summary` a short Chinese sentence for the timeline, or a HistoryMessage
    (audit.messages) to have the case history render it in the reader's
    language (stored in Chinese all the same, the message in
    data["summary_message"]); `data` the details,
    by convention {"before": {...}, "after": {...}} for changes. `data` is
    normalised to plain JSON (see audit.chain.normalise_data) before it is
    hashed and stored.

    Must run inside the caller's transaction: raises RuntimeError otherwise.
    Appends are serialised by locking the chain head row, so concurrent
    writers queue up instead of forking the chain.
    """
    connection = transaction.get_connection(router.db_for_write(AuditEvent))
    if not connection.in_atomic_block:
        raise RuntimeError(OUTSIDE_TRANSACTION_MESSAGE)
    event_type = AuditEventType(event_type)
    if actor is not None and actor.pk is None:
        raise ValueError("the actor must be a saved user (or None for a system job)")
    target = obj if obj is not None else case
    if target is not None and target.pk is None:
        raise ValueError("save the object before recording an audit event about it")
    if isinstance(summary, HistoryMessage):
        data = {**(data or {}), MESSAGE_KEY: summary.as_data()}
        summary = summary.in_source_language()
    details = normalise_data(data)

    head = _chain_head_locked()
    event = AuditEvent(
        sequence=head.last_sequence + 1,
        # Taken under the lock, so time order and chain order agree.
        occurred_at=timezone.now(),
        actor=actor,
        actor_name=actor.get_full_name() if actor is not None else "",
        event_type=event_type,
        case=case,
        object_type=target._meta.label if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        summary=summary.strip(),
        data=details,
        previous_hash=head.last_hash,
        key_id=current_key_id(),
    )
    event.hash = event_hash(event)
    # The foreign keys are live objects and uniqueness is the database's job:
    # skip the queries full_clean would spend on them.
    event.full_clean(exclude=["actor", "case"], validate_unique=False, validate_constraints=False)
    event.save()

    head.last_sequence = event.sequence
    head.last_hash = event.hash
    head.save(update_fields=["last_sequence", "last_hash"])
    return event


def audit_anchor_append(path=None) -> dict:
    """Append the chain head to the anchor log (AUDIT_ANCHOR_FILE): one JSON
    line of sequence, hash and time, opened for append only and flushed to
    disk. Kept outside the database (ideally on write-once or another
    machine's storage), it shows a later deleted tail or rewritten chain to
    `verify_audit --anchors`. Safe to run twice: it only adds a line."""
    import json
    import os

    from django.conf import settings

    from audit.selectors import audit_head

    path = path or settings.AUDIT_ANCHOR_FILE
    anchor = {**audit_head(), "anchored_at": timezone.now().isoformat()}
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(anchor, ensure_ascii=False, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return anchor
