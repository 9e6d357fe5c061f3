import hashlib
import hmac
import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from audit.chain import event_hash
from audit.models import (
    GENESIS_HASH,
    AuditChainHead,
    AuditEvent,
    AuditEventImmutableError,
    AuditEventType,
)
from audit.selectors import audit_chain_verify
from audit.services import OUTSIDE_TRANSACTION_MESSAGE, audit_record
from tests.factories import CaseFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def test_it_numbers_events_from_one_and_links_each_to_the_previous(record):
    events = [record(summary=f"第{n}次") for n in range(3)]

    assert [e.sequence for e in events] == [1, 2, 3]
    assert events[0].previous_hash == GENESIS_HASH
    assert events[1].previous_hash == events[0].hash
    assert events[2].previous_hash == events[1].hash
    assert len({e.hash for e in events}) == 3
    head = AuditChainHead.objects.get()
    assert (head.last_sequence, head.last_hash) == (3, events[2].hash)


def test_the_hash_is_an_hmac_sha256_of_the_canonical_payload_under_the_key(record, settings):
    settings.AUDIT_HMAC_KEYS = "k1:a-secret-for-the-audit-chain"
    settings.AUDIT_HMAC_KEY_ID = "k1"
    actor = UserFactory(display_name="王承办")
    officer = OfficerFactory()
    event = record(
        event_type=AuditEventType.OFFICER_ADDED,
        actor=actor,
        obj=officer,
        summary="增加涉案执法人员",
        data={"after": {"officer": officer.name}},
    )
    event = AuditEvent.objects.get(pk=event.pk)

    payload = {
        "sequence": 1,
        "occurred_at": event.occurred_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00"),
        "actor_id": actor.pk,
        "actor_name": "王承办",
        "event_type": "officer_added",
        "case_id": None,
        "object_type": "accounts.Officer",
        "object_id": str(officer.pk),
        "summary": "增加涉案执法人员",
        "data": {"after": {"officer": officer.name}},
        "previous_hash": GENESIS_HASH,
        "key_id": "k1",
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    key = b"a-secret-for-the-audit-chain"
    assert event.key_id == "k1"
    assert event.hash == hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()
    assert event.hash != hashlib.sha256(canonical.encode()).hexdigest()
    assert event_hash(event) == event.hash


def test_it_keeps_the_actor_name_as_it_was(record):
    actor = UserFactory(display_name="王承办")
    event = record(actor=actor)
    actor.display_name = "王改名"
    actor.save()

    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor_name == "王承办"
    assert event_hash(event) == event.hash


def test_a_system_job_has_no_actor(record):
    event = record(event_type=AuditEventType.DEADLINE_NOTIFIED)
    assert event.actor is None
    assert event.actor_name == ""


def test_the_object_defaults_to_the_case(record):
    case = CaseFactory()
    event = record(event_type=AuditEventType.CASE_CREATED, case=case)
    assert (event.case, event.object_type, event.object_id) == (case, "cases.Case", str(case.pk))


def test_it_refuses_an_unsaved_object(record):
    with pytest.raises(ValueError, match="save the object"):
        record(obj=OfficerFactory.build())
    assert not AuditEvent.objects.exists()


def test_it_refuses_an_unknown_event_type(record):
    with pytest.raises(ValueError):
        record(event_type="case_burned")
    assert not AuditEvent.objects.exists()


def test_it_refuses_a_summary_too_long_for_the_timeline(record):
    with pytest.raises(ValidationError):
        record(summary="长" * 501)
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_record_outside_a_transaction():
    with pytest.raises(RuntimeError) as error:
        audit_record(event_type=AuditEventType.CASE_UPDATED)
    assert str(error.value) == OUTSIDE_TRANSACTION_MESSAGE
    assert not AuditEvent.objects.exists()
    assert not AuditChainHead.objects.exists()


def test_a_rolled_back_action_leaves_no_event_and_the_chain_continues(record):
    first = record(summary="保留")
    with pytest.raises(Boom), transaction.atomic():
        audit_record(event_type=AuditEventType.VOTE_RECORDED, summary="回滚")
        raise Boom

    after = record(summary="继续")

    assert list(AuditEvent.objects.values_list("summary", flat=True)) == ["保留", "继续"]
    assert after.sequence == 2
    assert after.previous_hash == first.hash
    assert audit_chain_verify().ok


def test_data_with_dates_decimals_and_uuids_is_stored_as_hashed(record):
    key = uuid.UUID("12345678-1234-5678-1234-567812345678")
    event = record(
        data={
            "before": {"deadline": date(2026, 3, 1), "amount": Decimal("12.50")},
            "after": {"deadline": date(2026, 3, 15), "at": datetime(2026, 3, 2, 8, 30, tzinfo=UTC)},
            "id": key,
            7: "整数键",
        }
    )

    expected = {
        "before": {"deadline": "2026-03-01", "amount": "12.50"},
        "after": {"deadline": "2026-03-15", "at": "2026-03-02T08:30:00Z"},
        "id": "12345678-1234-5678-1234-567812345678",
        "7": "整数键",
    }
    assert event.data == expected
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.data == expected
    assert event_hash(stored) == stored.hash == event.hash


def test_integral_floats_are_stored_as_integers(record):
    event = record(data={"ratio": 2.0, "share": 0.25, "big": 1e16})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.data == {"ratio": 2, "share": 0.25, "big": 10**16}
    assert isinstance(stored.data["ratio"], int)
    assert event_hash(stored) == stored.hash


@pytest.mark.parametrize(
    "data, error",
    [({"file": object()}, TypeError), ({"score": float("nan")}, ValueError), ([1], TypeError)],
)
def test_data_json_cannot_represent_is_refused(record, data, error):
    with pytest.raises(error):
        record(data=data)
    assert not AuditEvent.objects.exists()


def test_saving_a_recorded_event_again_is_refused(record):
    event = record(summary="原文")
    event.summary = "改动"
    with pytest.raises(AuditEventImmutableError, match="append-only"):
        event.save()
    assert AuditEvent.objects.get().summary == "原文"


def test_deleting_a_recorded_event_is_refused(record):
    event = record()
    with pytest.raises(AuditEventImmutableError, match="append-only"):
        event.delete()
    assert AuditEvent.objects.count() == 1


def test_bulk_changes_are_refused(record):
    record()
    with pytest.raises(AuditEventImmutableError, match="append-only"):
        AuditEvent.objects.update(summary="改动")
    with pytest.raises(AuditEventImmutableError, match="append-only"):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditEventImmutableError, match="audit_record"):
        AuditEvent.objects.bulk_create([AuditEvent()])
    assert AuditEvent.objects.get().summary == ""


def test_a_lost_chain_head_is_rebuilt_from_the_last_event(record):
    record()
    second = record()
    AuditChainHead.objects.all().delete()

    third = record()

    assert (third.sequence, third.previous_hash) == (3, second.hash)
    assert audit_chain_verify().ok


def test_an_append_runs_three_queries(record, django_assert_num_queries):
    actor = UserFactory()
    record()
    # Lock the head, insert the event, move the head.
    with django_assert_num_queries(3):
        audit_record(event_type=AuditEventType.VOTE_RECORDED, actor=actor)
