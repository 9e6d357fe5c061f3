"""The clarification flow is one table (vindication.workflow.FLOW), in the
form of the case workflow's: every state is final or has a way out that
someone can take, final states have none, every move has a named guard,
and every state is reachable from a new record."""

from tests.flow_tables import (
    check_every_move_has_a_named_guard,
    check_someone_can_act_until_the_record_is_final,
    check_the_table_covers_its_states,
    reachable_states,
)
from vindication.models import ClarificationRecord
from vindication.workflow import FLOW

State = ClarificationRecord.State


def test_the_table_covers_every_state_and_final_states_have_no_way_out():
    check_the_table_covers_its_states(FLOW)
    assert FLOW.final_states == {State.SUBSTANTIATED, State.NOTICE_ISSUED, State.CLOSED}


def test_every_state_is_reachable_from_a_new_record():
    assert reachable_states(FLOW) == set(State.values)


def test_every_move_has_a_named_guard_and_a_refusal():
    check_every_move_has_a_named_guard(FLOW)
    assert all(str(move.refusal) for move in FLOW.moves.values())


test_someone_can_act_until_the_record_is_final = check_someone_can_act_until_the_record_is_final(
    FLOW
)


def test_a_record_is_final_exactly_in_the_tables_final_states():
    for state in State.values:
        assert ClarificationRecord(state=state).is_final == (state in FLOW.final_states)
