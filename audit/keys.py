"""The keys of the audit chain: HMAC-SHA-256 keys from the environment, never
stored in the database. A key is named by a short id recorded with each event,
so that after a rotation the old events still verify with the old key.

AUDIT_HMAC_KEYS = "k1:first-secret,k2:second-secret"; AUDIT_HMAC_KEY_ID = "k2"
(the key new events use; by default the last one listed). Without
AUDIT_HMAC_KEYS a key derived from SECRET_KEY is used under the id "s0"."""

import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_ID_PATTERN = re.compile(r"\A[A-Za-z0-9_.-]{1,16}\Z")
DERIVED_KEY_ID = "s0"
MIN_SECRET_LENGTH = 16


class UnknownAuditKey(LookupError):
    """An event names a key id that is not in the keyring."""


def _parse(value: str) -> dict[str, bytes]:
    keys: dict[str, bytes] = {}
    for item in filter(None, (part.strip() for part in value.split(","))):
        key_id, sep, secret = item.partition(":")
        if not sep or not KEY_ID_PATTERN.match(key_id) or len(secret) < MIN_SECRET_LENGTH:
            raise ImproperlyConfigured(
                "AUDIT_HMAC_KEYS must be comma-separated 'id:secret' pairs, ids of at most "
                f"16 letters, digits, '_', '.' or '-', secrets of at least {MIN_SECRET_LENGTH} "
                "characters."
            )
        if key_id in keys:
            raise ImproperlyConfigured(f"AUDIT_HMAC_KEYS names the key id {key_id!r} twice.")
        keys[key_id] = secret.encode("utf-8")
    return keys


def keyring() -> dict[str, bytes]:
    """Every configured key by id (the derived one when none is set)."""
    keys = _parse(settings.AUDIT_HMAC_KEYS)
    if not keys:
        derived = hmac.new(
            settings.SECRET_KEY.encode("utf-8"), b"jinzhi.audit.chain", hashlib.sha256
        ).digest()
        keys = {DERIVED_KEY_ID: derived}
    return keys


def current_key_id() -> str:
    keys = keyring()
    key_id = settings.AUDIT_HMAC_KEY_ID or list(keys)[-1]
    if key_id not in keys:
        raise ImproperlyConfigured(f"AUDIT_HMAC_KEY_ID {key_id!r} is not in AUDIT_HMAC_KEYS.")
    return key_id


def key_for(key_id: str) -> bytes:
    try:
        return keyring()[key_id]
    except KeyError:
        raise UnknownAuditKey(key_id) from None


def keys_are_derived() -> bool:
    return not _parse(settings.AUDIT_HMAC_KEYS)
