"""Reading the audit trail: a case's timeline and verification of the chain."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from audit.chain import event_hash
from audit.models import CHAIN_HEAD_ID, GENESIS_HASH, AuditChainHead, AuditEvent

if TYPE_CHECKING:
    from cases.models import Case


def case_timeline(case: "Case", *, limit: int | None = None) -> list[AuditEvent]:
    """The case's events, newest first, with their actors (one query)."""
    events = case.audit_events.select_related("actor").order_by("-sequence")
    if limit is not None:
        events = events[:limit]
    return list(events)


@dataclass(frozen=True)
class VerificationResult:
    ok: bool
    checked: int
    first_broken_sequence: int | None = None
    reason: str = ""


def _events_in_order(batch_size: int, last_sequence: int | None) -> Iterator[AuditEvent]:
    """All events in sequence order, fetched batch by batch by keyset (no
    long-lived cursor, constant memory)."""
    after = None
    while True:
        events = AuditEvent.objects.order_by("sequence")
        if after is not None:
            events = events.filter(sequence__gt=after)
        if last_sequence is not None:
            events = events.filter(sequence__lte=last_sequence)
        batch = list(events[:batch_size])
        yield from batch
        if len(batch) < batch_size:
            return
        after = batch[-1].sequence


def audit_chain_verify(*, batch_size: int = 1000) -> VerificationResult:
    """Walk the chain in sequence order, recompute every hash and every link,
    and report the first break: an altered row (its hash no longer matches),
    a removed row (a gap in the sequence, or a tail shorter than the chain
    head), a reordered or re-hashed row (a link to the previous hash broken).

    Events appended while the walk runs are not checked: the walk stops at
    the chain head read when it starts.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    head = AuditChainHead.objects.filter(pk=CHAIN_HEAD_ID).first()
    # Without a head there should be no events; walk everything to find out.
    last_sequence = head.last_sequence if head is not None else None

    checked = 0
    previous_hash = GENESIS_HASH
    for event in _events_in_order(batch_size, last_sequence):
        expected = checked + 1
        if event.sequence != expected:
            return VerificationResult(
                ok=False,
                checked=checked,
                first_broken_sequence=expected,
                reason=_("第 %(expected)d 条事件缺失（下一条事件的序号为 %(found)d）。")
                % {"expected": expected, "found": event.sequence},
            )
        if event.previous_hash != previous_hash:
            return VerificationResult(
                ok=False,
                checked=checked,
                first_broken_sequence=event.sequence,
                reason=_("该事件记录的前一哈希与链上前一条事件不符（链接断开或顺序被改动）。"),
            )
        if event_hash(event) != event.hash:
            return VerificationResult(
                ok=False,
                checked=checked,
                first_broken_sequence=event.sequence,
                reason=_("该事件的内容与其哈希不符（记录被改动）。"),
            )
        checked += 1
        previous_hash = event.hash

    if head is None:
        # A head created while we walked is a first append, not tampering.
        if checked and not AuditChainHead.objects.filter(pk=CHAIN_HEAD_ID).exists():
            return VerificationResult(
                ok=False,
                checked=checked,
                first_broken_sequence=checked + 1,
                reason=_("审计链头记录缺失，无法确认链尾是否完整。"),
            )
        return VerificationResult(ok=True, checked=checked)
    if head.last_sequence != checked:
        return VerificationResult(
            ok=False,
            checked=checked,
            first_broken_sequence=checked + 1,
            reason=_("链尾事件缺失：链头记录共 %(head)d 条事件，实际只找到 %(found)d 条。")
            % {"head": head.last_sequence, "found": checked},
        )
    if head.last_hash != previous_hash:
        return VerificationResult(
            ok=False,
            checked=checked,
            first_broken_sequence=max(checked, 1),
            reason=_("链头记录的哈希与最后一条事件不符。"),
        )
    return VerificationResult(ok=True, checked=checked)
