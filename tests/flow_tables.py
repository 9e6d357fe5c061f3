"""Checks shared by the tests of the record flows declared in the form of
cases.flows (protections.workflow, vindication.workflow)."""

import rules
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.flows import Flow


def check_the_table_covers_its_states(flow: Flow) -> None:
    assert set(flow.states) == set(flow.choices.values)
    assert flow.initial in flow.states and not flow.states[flow.initial].final
    for move in flow.moves.values():
        assert set(move.sources) <= set(flow.states) - flow.final_states, move.name
        assert set(move.targets) <= set(flow.states), move.name
        assert move.actor in flow.actors, move.name
    for state, rule in flow.states.items():
        assert bool(flow.moves_from(state)) != rule.final, state


def check_every_move_has_a_named_guard(flow: Flow) -> None:
    for move in flow.moves.values():
        assert move.guards, move.name
        for guard in move.guards:
            assert callable(guard) and guard.__name__ != "<lambda>", move.name
            assert guard.__doc__, guard.__name__


def reachable_states(flow: Flow) -> set[str]:
    reached, frontier = {flow.initial}, [flow.initial]
    while frontier:
        for move in flow.moves_from(frontier.pop()):
            for target in set(move.targets) - reached:
                reached.add(target)
                frontier.append(target)
    return reached


def _someone_can_act(flow: Flow, state: str) -> bool:
    """Some actor the state waits on is a role or a designation, holds a
    registered permission, and has a move out of the state."""
    movers = {move.actor for move in flow.moves_from(state)}
    return any(
        key in movers
        and (flow.actors[key].roles or flow.actors[key].designation)
        and rules.perm_exists(flow.actors[key].permission)
        for key in flow.states[state].actors
    )


def check_someone_can_act_until_the_record_is_final(flow: Flow):
    """A hypothesis test: along any walk through the table from a new
    record, every state reached is final or some role can act in it."""

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.integers(min_value=0, max_value=20), max_size=12))
    def test(choices: list[int]) -> None:
        state = flow.initial
        for choice in choices:
            rule = flow.states[state]
            assert rule.final or _someone_can_act(flow, state), state
            if rule.final:
                assert not flow.moves_from(state)
                return
            moves = flow.moves_from(state)
            move = moves[choice % len(moves)]
            state = move.targets[choice // len(moves) % len(move.targets)]
        assert flow.states[state].final or _someone_can_act(flow, state), state

    return test
