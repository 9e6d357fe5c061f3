"""The protection request's flow is one table (protections.workflow.FLOW), in
the form of the case workflow's: every status is final or has a way out that
the designated handler can take, every move has a named guard, and every
status is reachable from a new request."""

from protections.models import ProtectionStatus
from protections.workflow import FLOW, POLICE_RECORD_STATES
from tests.flow_tables import (
    check_every_move_has_a_named_guard,
    check_someone_can_act_until_the_record_is_final,
    check_the_table_covers_its_states,
    reachable_states,
)


def test_the_table_covers_every_status_and_closed_is_final():
    check_the_table_covers_its_states(FLOW)
    assert FLOW.final_states == {ProtectionStatus.CLOSED}


def test_every_status_is_reachable_from_a_new_request():
    assert reachable_states(FLOW) == set(ProtectionStatus.values)


def test_every_move_has_a_named_guard():
    check_every_move_has_a_named_guard(FLOW)


def test_police_contacts_are_recorded_only_in_states_that_are_not_final():
    assert set(FLOW.states) - FLOW.final_states >= POLICE_RECORD_STATES


test_someone_can_act_until_the_request_is_final = check_someone_can_act_until_the_record_is_final(
    FLOW
)
