"""Extension points of cases that the stage apps built on it (investigation,
panel, deliberation, filing) fill from their AppConfig.ready(). Cases asks
these and imports nothing of those apps, so that the dependency runs one way
(the import contract in .importlinter fails otherwise). Two more points live
beside what they extend: cases.parties.party_register (who a stage waits on)
and cases.readers.reader_arm_register (who reads a case).

Each registry is filled once at start-up, before any request or task."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

# --- effects of a move, after its documents (cases.services.transitions) ------------
# {move name: [effect(actor=..., case=...)]}, e.g. the filing package at "file".
_MOVE_EFFECTS: dict[str, list[Callable]] = {}


def move_effect_register(move: str, effect: Callable) -> None:
    _MOVE_EFFECTS.setdefault(move, []).append(effect)


def move_effects(move: str) -> list[Callable]:
    return _MOVE_EFFECTS.get(move, [])


# --- facts about one case a rule of cases asks ---------------------------------------
# {name: fact(case) -> bool}, e.g. "report_signed_off" for the team assignment.
_CASE_FACTS: dict[str, Callable] = {}


def case_fact_register(name: str, fact: Callable) -> None:
    _CASE_FACTS[name] = fact


def case_fact(name: str, case) -> bool:
    """The registered fact about the case; a name nobody registered is a
    programming error (KeyError), never a silent False."""
    return _CASE_FACTS[name](case)


# --- the case list ---------------------------------------------------------------------
# Texts of a stage the search looks in: text -> a queryset of the rows whose
# stage texts contain it, with a `case_id` column (cases.search writes the
# condition with cases.search.text_contains, which the indexes answer).
_SEARCH_TEXTS: list[Callable[[str], QuerySet]] = []


def search_text_register(rows_containing: Callable[[str], QuerySet]) -> None:
    _SEARCH_TEXTS.append(rows_containing)


def search_case_id_sets(text: str) -> list[QuerySet]:
    return [rows_containing(text) for rows_containing in _SEARCH_TEXTS]


# Prefetches the list adds to each case (e.g. the adopted determinations).
_LIST_PREFETCHES: list[Callable[[], Prefetch]] = []


def list_prefetch_register(prefetch: Callable[[], Prefetch]) -> None:
    _LIST_PREFETCHES.append(prefetch)


def list_prefetches() -> list[Prefetch]:
    return [prefetch() for prefetch in _LIST_PREFETCHES]


@dataclass(frozen=True)
class OutcomeFilter:
    """The list's filter by decided outcome: its choices, and the condition
    on cases for one of them (deliberation registers it)."""

    choices: Callable[[], list[tuple[str, str]]]
    condition: Callable[[str], Q]


_OUTCOME_FILTER: list[OutcomeFilter] = []


def outcome_filter_register(outcome_filter: OutcomeFilter) -> None:
    _OUTCOME_FILTER[:] = [outcome_filter]


def outcome_filter() -> OutcomeFilter:
    return _OUTCOME_FILTER[0]


# --- the clause matrix: the columns of the later stages (cases.assessment) -----------
# column(case) -> {officer id: {clause ref: value}}, by name
# ("report_conclusions", "panel_opinions").
_REVIEW_COLUMNS: dict[str, Callable] = {}


def review_column_register(name: str, column: Callable) -> None:
    _REVIEW_COLUMNS[name] = column


def review_column(name: str, case) -> dict:
    return _REVIEW_COLUMNS[name](case)
