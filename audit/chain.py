"""How an audit event is hashed. The recipe is part of the stored record:
changing anything here makes every existing chain fail verification.

hash = HMAC-SHA-256(key[key_id], canonical JSON of {sequence, occurred_at,
actor_id, actor_name, event_type, case_id, object_type, object_id, summary,
data, previous_hash, key_id}), the key taken from the environment
(audit.keys), with occurred_at in UTC ISO 8601 with microseconds and
canonical JSON meaning sorted keys, UTF-8 (no \\u escapes), no whitespace,
no NaN or infinities. Without the key nobody can write a link that verifies.

Events written before the chain was keyed have an empty key_id and the plain
SHA-256 of the same payload without key_id (`legacy_event_hash`);
`verify_audit --legacy-unkeyed` accepts them only as a prefix of the chain.
"""

import hashlib
import hmac
import json
import math
from datetime import UTC
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder


def canonical_json(value: Any) -> str:
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )


def _integral_floats_as_ints(value: Any) -> Any:
    # PostgreSQL's jsonb prints 1e16 as 10000000000000000, which reads back
    # as an int: store such floats as ints from the start so the row that is
    # read back hashes like the row that was written.
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _integral_floats_as_ints(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_integral_floats_as_ints(item) for item in value]
    return value


def normalise_data(data: dict | None) -> dict:
    """The event details as they will be stored and hashed: plain JSON values
    only (dates, datetimes, decimals, UUIDs and lazy strings become strings
    through DjangoJSONEncoder; keys become strings). Raises TypeError for an
    object JSON cannot represent and ValueError for NaN or infinities."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise TypeError(f"audit data must be a dict, not {type(data).__name__}")
    try:
        encoded = json.dumps(data, cls=DjangoJSONEncoder, allow_nan=False)
    except TypeError as error:
        raise TypeError(f"audit data must be JSON-serialisable: {error}") from error
    return _integral_floats_as_ints(json.loads(encoded))


def event_payload(event) -> dict:
    """The fields of an event that its hash covers, as plain JSON values."""
    return {
        "sequence": event.sequence,
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "event_type": str(event.event_type),
        "case_id": event.case_id,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "summary": event.summary,
        "data": event.data,
        "previous_hash": event.previous_hash,
    }


def legacy_event_hash(event) -> str:
    """The unkeyed SHA-256 (hex) of the payload: the recipe before keying."""
    return hashlib.sha256(canonical_json(event_payload(event)).encode("utf-8")).hexdigest()


def event_hash(event) -> str:
    """The HMAC-SHA-256 (hex) of the event's canonical payload under the key
    the event names. Raises audit.keys.UnknownAuditKey for a key not in the
    keyring."""
    from audit.keys import key_for

    payload = {**event_payload(event), "key_id": event.key_id}
    message = canonical_json(payload).encode("utf-8")
    return hmac.new(key_for(event.key_id), message, hashlib.sha256).hexdigest()
