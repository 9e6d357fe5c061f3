"""The clarification flow is one table (vindication.services.MOVES), in the
form of the case workflow's: every state is final or has a way out, final
states have none, and every state is reachable from a new record."""

from vindication.models import ClarificationRecord
from vindication.services import FINAL_STATES, MOVES

State = ClarificationRecord.State


def test_every_state_is_final_or_has_a_way_out_and_is_reachable():
    sources = {s for move in MOVES.values() for s in move.sources}
    targets = {t for move in MOVES.values() for t in move.targets}
    assert set(State.values) == sources | FINAL_STATES
    assert not sources & FINAL_STATES
    assert targets <= set(State.values)
    reached, frontier = {State.RECORDED}, [State.RECORDED]
    while frontier:
        state = frontier.pop()
        for move in MOVES.values():
            if state in move.sources:
                for target in move.targets - reached:
                    reached.add(target)
                    frontier.append(target)
    assert reached == set(State.values)


def test_every_move_refuses_with_a_message():
    assert all(str(move.refusal) for move in MOVES.values())
