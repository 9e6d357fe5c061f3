import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from audit import errors as audit_errors
from audit.chain import event_hash
from audit.models import AuditChainHead, AuditEvent, AuditEventType
from audit.selectors import audit_chain_verify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow(record):
    """Five events as a case's first steps would write them."""
    inspector = UserFactory(display_name="王承办")
    chair = UserFactory(display_name="钱局长")
    return [
        record(event_type=AuditEventType.CATALOG_LOADED, summary="加载泰安办法"),
        record(event_type=AuditEventType.CASE_UPDATED, actor=inspector, summary="登记案件"),
        record(
            event_type=AuditEventType.CASE_TRANSITIONED,
            actor=inspector,
            data={"before": {"state": "draft"}, "after": {"state": "registered"}},
        ),
        record(
            event_type=AuditEventType.VOTE_RECORDED,
            actor=chair,
            data={"position": "同意", "deadline": date(2026, 3, 1)},
        ),
        record(event_type=AuditEventType.VOTE_CLOSED, actor=chair, summary="主要负责人末位表态"),
    ]


def broken(sequence: int, checked: int, reason) -> str:
    """The command's message for a chain broken at `sequence`."""
    return audit_errors.CHAIN_BROKEN % {"sequence": sequence, "checked": checked, "reason": reason}


def _verify_command() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def test_an_intact_chain_passes(flow):
    assert "审计链完整：已校验 5 条事件" in _verify_command()
    assert audit_chain_verify() == audit_chain_verify(batch_size=2)
    assert audit_chain_verify().checked == 5


def test_an_empty_chain_passes():
    assert "审计链完整：已校验 0 条事件" in _verify_command()


def test_it_reads_the_chain_in_batches(flow, django_assert_num_queries):
    # The head, then batches of 2, 2 and 1 events.
    with django_assert_num_queries(4):
        result = audit_chain_verify(batch_size=2)
    assert result.ok


def test_an_altered_row_is_reported_at_its_sequence(flow, tamper):
    tamper("UPDATE audit_auditevent SET summary = %s WHERE sequence = 3", ["无事发生"])

    result = audit_chain_verify()
    assert (result.ok, result.first_broken_sequence, result.checked) == (False, 3, 2)
    assert result.reason == str(audit_errors.HASH_MISMATCH)
    with pytest.raises(CommandError, match=re.escape(broken(3, 2, result.reason))) as error:
        _verify_command()
    assert error.value.returncode == 1


def test_an_altered_row_with_a_recomputed_hash_breaks_the_next_link(flow, tamper):
    event = AuditEvent.objects.get(sequence=3)
    event.summary = "无事发生"
    tamper(
        "UPDATE audit_auditevent SET summary = %s, hash = %s WHERE sequence = 3",
        [event.summary, event_hash(event)],
    )

    result = audit_chain_verify()
    assert (result.ok, result.first_broken_sequence) == (False, 4)
    assert result.reason == str(audit_errors.LINK_BROKEN)


def test_a_deleted_row_is_reported_as_a_gap(flow, tamper):
    tamper("DELETE FROM audit_auditevent WHERE sequence = 3")

    result = audit_chain_verify()
    assert (result.ok, result.first_broken_sequence, result.checked) == (False, 3, 2)
    assert result.reason == audit_errors.EVENT_MISSING % {"expected": 3, "found": 4}
    with pytest.raises(CommandError, match=re.escape(broken(3, 2, result.reason))) as error:
        _verify_command()
    assert error.value.returncode == 1


def test_a_deleted_last_row_is_caught_by_the_chain_head(flow, tamper):
    tamper("DELETE FROM audit_auditevent WHERE sequence = 5")

    result = audit_chain_verify()
    assert (result.ok, result.first_broken_sequence) == (False, 5)
    assert result.reason == audit_errors.TAIL_MISSING % {"head": 5, "found": 4}


def test_a_replaced_last_row_is_caught_by_the_chain_head(flow, tamper):
    event = AuditEvent.objects.get(sequence=5)
    event.summary = "无人表态"
    tamper(
        "UPDATE audit_auditevent SET summary = %s, hash = %s WHERE sequence = 5",
        [event.summary, event_hash(event)],
    )

    result = audit_chain_verify()
    assert (result.ok, result.first_broken_sequence) == (False, 5)


def test_a_missing_chain_head_is_reported(flow):
    AuditChainHead.objects.all().delete()

    result = audit_chain_verify()
    assert (result.ok, result.checked, result.first_broken_sequence) == (False, 5, 6)
    assert result.reason == str(audit_errors.HEAD_MISSING)


def test_reordered_rows_are_reported(flow, tamper):
    tamper("UPDATE audit_auditevent SET sequence = 1000 WHERE sequence = 2")
    tamper("UPDATE audit_auditevent SET sequence = 2 WHERE sequence = 3")
    tamper("UPDATE audit_auditevent SET sequence = 3 WHERE sequence = 1000")

    result = audit_chain_verify()
    assert (result.ok, result.first_broken_sequence) == (False, 2)


def test_a_bad_batch_size_is_refused():
    with pytest.raises(CommandError, match=re.escape(str(audit_errors.BATCH_SIZE_INVALID))):
        call_command("verify_audit", batch_size=0)
