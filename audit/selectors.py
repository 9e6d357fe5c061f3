"""Reading the audit trail: a case's timeline and verification of the chain."""

import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from audit import errors
from audit.chain import event_hash, legacy_event_hash
from audit.keys import UnknownAuditKey
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


def _link_problem(event: AuditEvent, *, legacy_allowed: bool) -> str | None:
    """Why the event's own hash does not hold, or None when it does."""
    if not event.key_id:
        if not legacy_allowed:
            return str(errors.NOT_KEYED)
        return None if legacy_event_hash(event) == event.hash else str(errors.HASH_MISMATCH)
    try:
        expected = event_hash(event)
    except UnknownAuditKey:
        return errors.UNKNOWN_KEY % {"key": event.key_id}
    return None if hmac.compare_digest(expected, event.hash) else str(errors.HASH_MISMATCH)


def audit_chain_verify(
    *, batch_size: int = 1000, legacy_unkeyed: bool = False
) -> VerificationResult:
    """Walk the chain in sequence order, recompute every keyed hash and every
    link, and report the first break: an altered row (its hash no longer
    matches its content under the key), a removed row (a gap in the
    sequence, or a tail shorter than the chain head), a reordered or
    re-hashed row (a link to the previous hash broken), a row hashed without
    the key. `legacy_unkeyed` accepts unkeyed SHA-256 events written before
    the chain was keyed, as a prefix of the chain only.

    Events appended while the walk runs are not checked: the walk stops at
    the chain head read when it starts. A deleted tail with a reset head is
    only visible against anchors kept outside the database
    (`audit_anchors_verify`).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    head = AuditChainHead.objects.filter(pk=CHAIN_HEAD_ID).first()
    # Without a head there should be no events; walk everything to find out.
    last_sequence = head.last_sequence if head is not None else None

    checked = 0
    previous_hash = GENESIS_HASH
    legacy_allowed = legacy_unkeyed
    for event in _events_in_order(batch_size, last_sequence):
        expected = checked + 1
        if event.sequence != expected:
            return VerificationResult(
                ok=False,
                checked=checked,
                first_broken_sequence=expected,
                reason=errors.EVENT_MISSING % {"expected": expected, "found": event.sequence},
            )
        if event.previous_hash != previous_hash:
            return VerificationResult(
                ok=False,
                checked=checked,
                first_broken_sequence=event.sequence,
                reason=str(errors.LINK_BROKEN),
            )
        problem = _link_problem(event, legacy_allowed=legacy_allowed)
        if problem is not None:
            return VerificationResult(
                ok=False, checked=checked, first_broken_sequence=event.sequence, reason=problem
            )
        # Once a keyed event appears, no unkeyed one may follow it.
        legacy_allowed = legacy_allowed and not event.key_id
        checked += 1
        previous_hash = event.hash

    if head is None:
        # A head created while we walked is a first append, not tampering.
        if checked and not AuditChainHead.objects.filter(pk=CHAIN_HEAD_ID).exists():
            return VerificationResult(
                ok=False,
                checked=checked,
                first_broken_sequence=checked + 1,
                reason=str(errors.HEAD_MISSING),
            )
        return VerificationResult(ok=True, checked=checked)
    if head.last_sequence != checked:
        return VerificationResult(
            ok=False,
            checked=checked,
            first_broken_sequence=checked + 1,
            reason=errors.TAIL_MISSING % {"head": head.last_sequence, "found": checked},
        )
    if head.last_hash != previous_hash:
        return VerificationResult(
            ok=False,
            checked=checked,
            first_broken_sequence=max(checked, 1),
            reason=str(errors.HEAD_HASH_MISMATCH),
        )
    return VerificationResult(ok=True, checked=checked)


def audit_head() -> dict:
    """The end of the chain as it stands: what a filing manifest and the
    anchor log carry, so that a later rewrite of the chain is visible."""
    head = AuditChainHead.objects.filter(pk=CHAIN_HEAD_ID).first()
    if head is None:
        return {"sequence": 0, "hash": GENESIS_HASH}
    return {"sequence": head.last_sequence, "hash": head.last_hash}


class AnchorFileError(ValueError):
    """The anchor file cannot be read or a line is not an anchor."""


def anchors_read(path) -> list[dict]:
    """The anchors in the file, one JSON object a line. Raises AnchorFileError."""
    anchors = []
    try:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    anchor = json.loads(line)
                    sequence, digest = anchor["sequence"], anchor["hash"]
                except (ValueError, KeyError, TypeError) as error:
                    raise AnchorFileError(errors.ANCHOR_LINE_INVALID % {"line": number}) from error
                if not isinstance(sequence, int) or sequence < 0 or not isinstance(digest, str):
                    raise AnchorFileError(errors.ANCHOR_LINE_INVALID % {"line": number})
                anchors.append(anchor)
    except OSError as error:
        raise AnchorFileError(
            errors.ANCHOR_FILE_UNREADABLE % {"error": error.strerror or error}
        ) from error
    return anchors


def audit_anchors_verify(anchors: list[dict], result: VerificationResult) -> VerificationResult:
    """Check the chain (already verified as `result`) against anchors kept
    outside the database: every anchored event must still be there with the
    anchored hash. A deleted tail with a reset head, or a chain rewritten from
    an anchored event on, is named by its first missing or changed event."""
    if not result.ok:
        return result
    stored = dict(
        AuditEvent.objects.filter(
            sequence__in={a["sequence"] for a in anchors if a["sequence"] > 0}
        ).values_list("sequence", "hash")
    )
    for anchor in sorted(anchors, key=lambda a: a["sequence"]):
        sequence = anchor["sequence"]
        if sequence == 0:
            continue
        if sequence > result.checked or sequence not in stored:
            return VerificationResult(
                ok=False,
                checked=result.checked,
                first_broken_sequence=min(sequence, result.checked + 1),
                reason=errors.ANCHORED_TAIL_DELETED
                % {"sequence": sequence, "found": result.checked},
            )
        if stored[sequence] != anchor["hash"]:
            return VerificationResult(
                ok=False,
                checked=result.checked,
                first_broken_sequence=sequence,
                reason=errors.ANCHORED_EVENT_CHANGED % {"sequence": sequence},
            )
    return result
