"""The form of a record's flow beside the case workflow (cases.workflow): the
protection requests (protections.workflow) and the clarification records
(vindication.workflow) each declare one `Flow` table — its states, who acts
in each, the moves with their named guards and the notices — and their
services check every move against it (`Flow.require_move`).

It lives in `cases`, the lowest app both flows depend on. `manage.py
workflow --markdown` prints every installed app's `<app>.workflow.FLOW`
after the case workflow (`installed_flows`), so that docs/workflow.md holds
all three."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.functional import Promise

from accounts.roles import Role

# A guard returns the reason a move is refused now (for the page) or None.
FlowGuard = Callable[[object], str | None]


def flow_guard_always(record) -> str | None:
    """No condition beyond the actor's permission and the current state
    (named, so that every move has a guard the table can show)."""
    return None


@dataclass(frozen=True)
class FlowActor:
    """Who acts: a description, the roles that may hold the part (none when
    it comes from a designation rather than a role) and the `rules`
    permission checked on the record."""

    key: str
    description: Promise
    permission: str
    roles: tuple[str, ...] = ()
    designation: Promise | None = None


@dataclass(frozen=True)
class FlowState:
    """One state: the actors it waits on and their step; a final state waits
    on nobody and no move leads out of it."""

    state: str
    actors: tuple[str, ...] = ()
    step: Promise | None = None
    final: bool = False


@dataclass(frozen=True)
class FlowMove:
    """One move: the states it leaves, the states it may enter (the input
    chooses when there are several), who makes it, its guards in order, and
    the notices sent once it is made."""

    name: str
    label: Promise
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    actor: str
    guards: tuple[FlowGuard, ...]
    notices: tuple[Promise, ...] = ()
    # Why it is refused from a state it does not leave, when the flow words
    # that per move (the flow's `refusal` decides).
    refusal: Promise | None = None


@dataclass(frozen=True)
class Flow:
    """A record's flow as one table. `refusal` names, for a move asked from a
    state it does not leave, why it is refused (in the flow's own words)."""

    key: str
    title: str
    source: str  # the module that declares it, for the printed table
    state_field: str
    choices: type[models.TextChoices]
    initial: str
    created_by: str  # the actor who makes a new record
    actors: dict[str, FlowActor]
    states: dict[str, FlowState]
    moves: dict[str, FlowMove]
    refusal: Callable[[object, FlowMove], str]
    unknown_move: Promise

    @property
    def final_states(self) -> frozenset[str]:
        return frozenset(s for s, rule in self.states.items() if rule.final)

    def moves_from(self, state: str) -> list[FlowMove]:
        return [move for move in self.moves.values() if state in move.sources]

    def state_of(self, record) -> str:
        return getattr(record, self.state_field)

    def move_refusal(self, record, move: FlowMove) -> str | None:
        """Why the move is refused now (not from this state, or its first
        refusing guard), or None."""
        if self.state_of(record) not in move.sources:
            return self.refusal(record, move)
        for guard in move.guards:
            reason = guard(record)
            if reason:
                return reason
        return None

    def require_move(self, record, name: str, target: str | None = None) -> FlowMove:
        """The move, if the table allows it from the record's state (and to
        `target`, when given); else a ValidationError with the reason. Call
        it before changing anything, on the locked row."""
        move = self.moves.get(name)
        if move is None:
            raise ValidationError(str(self.unknown_move))
        reason = self.move_refusal(record, move)
        if reason:
            raise ValidationError(reason)
        if target is not None and target not in move.targets:
            raise ValidationError(str(self.unknown_move))
        return move


def installed_flows() -> list[Flow]:
    """Every installed app's `workflow.FLOW`, in INSTALLED_APPS order (found by
    name, so that cases does not import the apps built on it)."""
    flows = []
    for config in apps.get_app_configs():
        name = f"{config.name}.workflow"
        if importlib.util.find_spec(name) is None:
            continue
        flow = getattr(importlib.import_module(name), "FLOW", None)
        if isinstance(flow, Flow):
            flows.append(flow)
    return flows


# --- printed ------------------------------------------------------------------------------


def flow_markdown(flow: Flow) -> str:
    """The flow as a section of docs/workflow.md (Chinese labels, English headings)."""
    with translation.override("zh-hans"):

        def state(value: str) -> str:
            return f"{flow.choices(value).label} (`{value}`)"

        def actor(key: str) -> str:
            return f"{flow.actors[key].description} (`{key}`)"

        creator = flow.actors[flow.created_by]
        lines = [
            f"# {flow.title}",
            "",
            f"Declared in `{flow.source}` (`FLOW`, in the form of `cases/flows.py`); its "
            "services check every move against it: a move the table does not allow from "
            "the current state is refused with the reason and changes nothing.",
            "",
            f"A new record starts in {state(flow.initial)}, made by {actor(creator.key)}.",
            "",
            "## Who acts",
            "",
            "| actor | roles | designation | permission |",
            "| --- | --- | --- | --- |",
        ]
        for item in flow.actors.values():
            roles = "、".join(str(Role(r).label) for r in item.roles) or "—"
            lines.append(
                f"| {actor(item.key)} | {roles} | {item.designation or '—'} | `{item.permission}` |"
            )
        lines += ["", "## States", "", "| state | waits on | next step | moves out |"]
        lines += ["| --- | --- | --- | --- |"]
        for rule in flow.states.values():
            if rule.final:
                lines.append(f"| {state(rule.state)} | — (final) | — | — |")
                continue
            waits = "、".join(actor(key) for key in rule.actors)
            moves = "；".join(
                f"{m.label} → {'／'.join(str(flow.choices(t).label) for t in m.targets)}"
                for m in flow.moves_from(rule.state)
            )
            lines.append(f"| {state(rule.state)} | {waits} | {rule.step} | {moves} |")
        lines += ["", "## Moves", "", "| move | from | to | who | guards | notices |"]
        lines += ["| --- | --- | --- | --- | --- | --- |"]
        for move in flow.moves.values():
            lines.append(
                f"| {move.label} (`{move.name}`) | {'、'.join(state(s) for s in move.sources)} "
                f"| {'、'.join(state(t) for t in move.targets)} | {actor(move.actor)} "
                f"| {', '.join(f'`{g.__name__}`' for g in move.guards)} "
                f"| {'；'.join(str(n) for n in move.notices) or '—'} |"
            )
        guards = sorted(
            {g for move in flow.moves.values() for g in move.guards}, key=lambda g: g.__name__
        )
        lines += ["", "## Guards", ""]
        for guard in guards:
            doc = " ".join((guard.__doc__ or "").split())
            lines.append(f"- `{guard.__name__}`" + (f": {doc}" if doc else ""))
        lines.append("")
    return "\n".join(lines)
