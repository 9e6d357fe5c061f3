"""The keyed, anchored audit chain: a rewrite without the key, a deleted tail
with a reset head, and key rotation (issue 13)."""

import hashlib
import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from audit import errors as audit_errors
from audit.chain import canonical_json, event_payload, legacy_event_hash
from audit.models import AuditChainHead, AuditEvent, AuditEventType
from audit.selectors import audit_chain_verify, audit_head
from audit.services import audit_anchor_append
from audit.tasks import anchor_head

pytestmark = pytest.mark.django_db

KEYS = "k1:first-audit-secret-0001,k2:second-audit-secret-002"


@pytest.fixture(autouse=True)
def keys(settings):
    settings.AUDIT_HMAC_KEYS = KEYS
    settings.AUDIT_HMAC_KEY_ID = "k1"


@pytest.fixture
def chain(record):
    return [record(event_type=AuditEventType.CASE_UPDATED, summary=f"第{i}步") for i in range(5)]


def verify(*args) -> str:
    out = StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def broken(sequence: int, checked: int, reason) -> str:
    """The command's message for a chain broken at `sequence`."""
    return audit_errors.CHAIN_BROKEN % {"sequence": sequence, "checked": checked, "reason": reason}


def verify_fails(*args) -> str:
    with pytest.raises(CommandError) as error:
        verify(*args)
    assert error.value.returncode == 1
    return str(error.value)


def rewrite_from(sequence: int, tamper, *, summary: str, hasher) -> str:
    """Rewrite one event and re-link every later one with `hasher` (what an
    attacker with database access but without the key can do), then reset
    the head. Returns the new head hash."""
    previous = AuditEvent.objects.get(sequence=sequence - 1).hash if sequence > 1 else "0" * 64
    for event in AuditEvent.objects.filter(sequence__gte=sequence).order_by("sequence"):
        if event.sequence == sequence:
            event.summary = summary
        event.previous_hash = previous
        event.hash = hasher(event)
        tamper(
            "UPDATE audit_auditevent SET summary = %s, previous_hash = %s, hash = %s "
            "WHERE sequence = %s",
            [event.summary, event.previous_hash, event.hash, event.sequence],
        )
        previous = event.hash
    AuditChainHead.objects.filter(pk=1).update(last_hash=previous)
    return previous


def test_each_link_is_keyed_and_names_its_key(chain):
    assert {e.key_id for e in AuditEvent.objects.all()} == {"k1"}
    event = AuditEvent.objects.get(sequence=2)
    assert event.hash != legacy_event_hash(event)
    assert "审计链完整：已校验 5 条事件" in verify()


def test_a_chain_rewritten_with_plain_sha256_is_found_at_the_first_bad_event(chain, tamper):
    def sha256(event):
        payload = {**event_payload(event), "key_id": event.key_id}
        return hashlib.sha256(canonical_json(payload).encode()).hexdigest()

    rewrite_from(3, tamper, summary="无事发生", hasher=sha256)

    result = audit_chain_verify()
    assert (result.ok, result.first_broken_sequence, result.checked) == (False, 3, 2)
    assert verify_fails() == broken(3, 2, audit_errors.HASH_MISMATCH)


def test_a_chain_rewritten_with_a_guessed_key_is_found(chain, tamper, settings):
    settings.AUDIT_HMAC_KEYS = "k1:an-attackers-guessed-key"
    from audit.chain import event_hash

    rewrite_from(2, tamper, summary="改写", hasher=event_hash)
    settings.AUDIT_HMAC_KEYS = KEYS

    assert verify_fails() == broken(2, 1, audit_errors.HASH_MISMATCH)


def test_a_chain_rewritten_as_unkeyed_legacy_events_is_found(chain, tamper):
    def as_legacy(event):
        event.key_id = ""
        tamper("UPDATE audit_auditevent SET key_id = '' WHERE sequence = %s", [event.sequence])
        return legacy_event_hash(event)

    rewrite_from(1, tamper, summary="改写", hasher=as_legacy)

    assert verify_fails() == broken(1, 0, audit_errors.NOT_KEYED)


def test_a_deleted_tail_with_a_reset_head_is_found_by_the_anchors(chain, tamper, tmp_path):
    anchors = tmp_path / "anchors.jsonl"
    audit_anchor_append(anchors)
    tamper("DELETE FROM audit_auditevent WHERE sequence >= 4")
    last = AuditEvent.objects.get(sequence=3)
    AuditChainHead.objects.filter(pk=1).update(last_sequence=3, last_hash=last.hash)

    # Inside the database everything agrees: only the anchor shows the loss.
    assert audit_chain_verify().ok
    assert verify_fails("--anchors", str(anchors)) == broken(
        4, 3, audit_errors.ANCHORED_TAIL_DELETED % {"sequence": 5, "found": 3}
    )


def test_an_anchored_event_rewritten_is_found(chain, tamper, tmp_path, settings):
    anchors = tmp_path / "anchors.jsonl"
    audit_anchor_append(anchors)
    # Even with the key (an insider), a rewrite of an anchored event shows.
    from audit.chain import event_hash

    rewrite_from(5, tamper, summary="改写", hasher=event_hash)
    assert audit_chain_verify().ok
    assert verify_fails("--anchors", str(anchors)) == broken(
        5, 5, audit_errors.ANCHORED_EVENT_CHANGED % {"sequence": 5}
    )


def test_intact_anchors_pass(chain, tmp_path):
    anchors = tmp_path / "anchors.jsonl"
    audit_anchor_append(anchors)
    assert "已核对 1 个锚点" in verify("--anchors", str(anchors))


def test_the_daily_task_appends_the_head_to_the_anchor_file(chain, record, settings):
    first = anchor_head.delay().get()
    record(summary="又一步")
    second = anchor_head.delay().get()
    lines = [json.loads(line) for line in settings.AUDIT_ANCHOR_FILE.read_text().splitlines()]
    assert [(a["sequence"], a["hash"]) for a in lines] == [
        (5, first["hash"]),
        (6, second["hash"]),
    ]
    assert settings.AUDIT_ANCHOR_FILE.stat().st_mode & 0o777 == 0o640
    assert second == {**audit_head(), "anchored_at": second["anchored_at"]}


def test_a_rotated_key_verifies_old_and_new_events(chain, record, settings):
    settings.AUDIT_HMAC_KEY_ID = "k2"
    record(summary="轮换之后")
    assert list(AuditEvent.objects.values_list("key_id", flat=True)) == ["k1"] * 5 + ["k2"]
    assert "已校验 6 条事件" in verify()

    # Dropping the old key from the environment makes its events unverifiable.
    settings.AUDIT_HMAC_KEYS = "k2:second-audit-secret-002"
    assert verify_fails() == broken(1, 0, audit_errors.UNKNOWN_KEY % {"key": "k1"})


@pytest.mark.parametrize(
    "content", ["not json\n", '{"sequence": "x", "hash": 1}\n', '{"hash": "ab"}\n']
)
def test_a_bad_anchor_file_is_refused_with_exit_2(chain, tmp_path, content):
    anchors = tmp_path / "anchors.jsonl"
    anchors.write_text(content)
    with pytest.raises(
        CommandError, match=re.escape(audit_errors.ANCHOR_LINE_INVALID % {"line": 1})
    ) as error:
        verify("--anchors", str(anchors))
    assert error.value.returncode == 2


def test_a_missing_anchor_file_is_refused_with_exit_2(tmp_path):
    with pytest.raises(CommandError) as error:
        verify("--anchors", str(tmp_path / "none.jsonl"))
    assert str(error.value) == audit_errors.ANCHOR_FILE_UNREADABLE % {
        "error": "No such file or directory"
    }
    assert error.value.returncode == 2


def test_unkeyed_legacy_events_pass_only_as_a_prefix_and_only_when_asked(record, tamper):
    record(summary="旧")
    event = AuditEvent.objects.get(sequence=1)
    event.key_id = ""
    legacy = legacy_event_hash(event)
    tamper("UPDATE audit_auditevent SET key_id = '', hash = %s WHERE sequence = 1", [legacy])
    AuditChainHead.objects.filter(pk=1).update(last_hash=legacy)
    record(summary="新")  # keyed, linked to the legacy event

    assert verify_fails() == broken(1, 0, audit_errors.NOT_KEYED)
    assert "已校验 2 条事件" in verify("--legacy-unkeyed")


def test_a_malformed_key_setting_is_refused(settings):
    from django.core.exceptions import ImproperlyConfigured

    from audit.keys import keyring

    for value in ("nocolon", "k1:short", "k1:first-audit-secret-0001,k1:first-audit-secret-0001"):
        settings.AUDIT_HMAC_KEYS = value
        with pytest.raises(ImproperlyConfigured):
            keyring()


def test_the_deploy_check_warns_about_a_derived_key_and_refuses_a_bad_one(settings):
    from audit.checks import audit_keys_check

    settings.AUDIT_HMAC_KEYS, settings.AUDIT_HMAC_KEY_ID = "", ""
    assert [m.id for m in audit_keys_check()] == ["audit.W001"]
    settings.AUDIT_HMAC_KEYS = KEYS
    settings.AUDIT_HMAC_KEY_ID = "k9"
    assert [m.id for m in audit_keys_check()] == ["audit.E001"]
    settings.AUDIT_HMAC_KEY_ID = "k2"
    assert audit_keys_check() == []
