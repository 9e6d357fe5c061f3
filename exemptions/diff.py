"""What a new catalogue version changes against the current one, and what it
would change for the cases already decided: pure Python over engine
catalogues (no Django), so the review page, the tests and a person at a
shell all read the same answer.

- `catalog_diff(old, new)`: clauses added, removed, with their text, their
  condition or their legal effect changed; procedure rules and metadata
  changed.
- `rerun_officer(old, new, facts, claimed)`: one subject officer's facts
  assessed under both versions; the clauses whose result differs, each with
  the facts its condition mentions as the case holds them (the facts that
  make the difference).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from exemptions import engine


@dataclass(frozen=True)
class ClauseChange:
    ref: str
    # "added" | "removed" | "changed"
    change: str
    # For "changed": which parts ("text", "condition", "effect", "kind").
    parts: tuple[str, ...] = ()
    old_text: str = ""
    new_text: str = ""
    old_condition: dict[str, Any] = field(default_factory=dict)
    new_condition: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleChange:
    key: str
    old: Any
    new: Any


@dataclass(frozen=True)
class CatalogDiff:
    clauses: tuple[ClauseChange, ...]
    procedure: tuple[RuleChange, ...]
    metadata: tuple[RuleChange, ...]
    articles_text_changed: tuple[int, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.clauses or self.procedure or self.metadata or self.articles_text_changed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "clauses": [
                {
                    "ref": c.ref,
                    "change": c.change,
                    "parts": list(c.parts),
                    "old_text": c.old_text,
                    "new_text": c.new_text,
                    "old_condition": c.old_condition,
                    "new_condition": c.new_condition,
                }
                for c in self.clauses
            ],
            "procedure": [{"key": r.key, "old": r.old, "new": r.new} for r in self.procedure],
            "metadata": [{"key": r.key, "old": r.old, "new": r.new} for r in self.metadata],
            "articles_text_changed": list(self.articles_text_changed),
        }


METADATA_KEYS = ("title", "issuing_body", "document_number", "issued_on", "effective_on")


def condition_of(clause: engine.Clause) -> dict[str, Any]:
    """The clause's condition as written in the file (requires, and the
    optional consequence_below and excluded_if)."""
    condition: dict[str, Any] = {"requires": clause.requires}
    if clause.consequence_below is not None:
        condition["consequence_below"] = clause.consequence_below
    if clause.excluded_if:
        condition["excluded_if"] = list(clause.excluded_if)
    return condition


def _clause_change(old: engine.Clause, new: engine.Clause) -> ClauseChange | None:
    parts = []
    if old.text != new.text:
        parts.append("text")
    if condition_of(old) != condition_of(new):
        parts.append("condition")
    if old.effect != new.effect:
        parts.append("effect")
    if old.kind != new.kind:
        parts.append("kind")
    if not parts:
        return None
    return ClauseChange(
        new.ref,
        "changed",
        tuple(parts),
        old.text,
        new.text,
        condition_of(old),
        condition_of(new),
    )


def catalog_diff(old: engine.Catalog | None, new: engine.Catalog) -> CatalogDiff:
    """The changes from `old` (None: a regulation with no version yet, where
    everything is added) to `new`, clauses in the new catalogue's order and
    the removed ones after them."""
    old_clauses = old.by_ref if old is not None else {}
    changes: list[ClauseChange] = []
    for clause in new.clauses:
        before = old_clauses.get(clause.ref)
        if before is None:
            changes.append(
                ClauseChange(
                    clause.ref, "added", new_text=clause.text, new_condition=condition_of(clause)
                )
            )
        elif (change := _clause_change(before, clause)) is not None:
            changes.append(change)
    for ref, clause in old_clauses.items():
        if ref not in new.by_ref:
            changes.append(
                ClauseChange(
                    ref, "removed", old_text=clause.text, old_condition=condition_of(clause)
                )
            )
    old_rules = old.procedure if old is not None else {}
    procedure = tuple(
        RuleChange(key, (old_rules.get(key) or {}).get("value"), rule.get("value"))
        for key, rule in new.procedure.items()
        if (old_rules.get(key) or {}).get("value") != rule.get("value")
    )
    old_meta = old.metadata if old is not None else {}
    metadata = tuple(
        RuleChange(key, _plain(old_meta.get(key)), _plain(new.metadata.get(key)))
        for key in METADATA_KEYS
        if old_meta.get(key) != new.metadata.get(key)
    )
    old_articles = {a.number: a.text for a in old.articles} if old is not None else {}
    articles = tuple(
        a.number
        for a in new.articles
        if a.number in old_articles and old_articles[a.number] != a.text
    )
    return CatalogDiff(tuple(changes), procedure, metadata, articles)


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


# --- golden cases: a decided officer's facts under both versions ----------------------


@dataclass(frozen=True)
class ClauseDifference:
    ref: str
    old_result: str | None  # None: the clause is not in that version
    new_result: str | None
    # The facts the clause's condition mentions (old and new), as held: key -> value
    # (None: not established).
    facts: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Rerun:
    old_outcome: str
    new_outcome: str
    clauses: tuple[ClauseDifference, ...]

    @property
    def changes(self) -> bool:
        return self.old_outcome != self.new_outcome or bool(self.clauses)


def rerun_officer(
    old: engine.Catalog,
    new: engine.Catalog,
    facts: Mapping[str, Any],
    claimed: Sequence[str],
) -> Rerun:
    """Assess one officer's facts under both versions. Claims of clauses the
    new version no longer has are dropped (they are reported as removed)."""
    old_known = engine.validate_facts(old.vocabulary, _known(old.vocabulary, facts))
    new_known = engine.validate_facts(new.vocabulary, _known(new.vocabulary, facts))
    before = engine.assess(old, old_known, [r for r in claimed if r in old.by_ref])
    after = engine.assess(new, new_known, [r for r in claimed if r in new.by_ref])
    old_results = {r.ref: r.result for r in before.clauses}
    new_results = {r.ref: r.result for r in after.clauses}
    differences = []
    for ref in [*new_results, *(r for r in old_results if r not in new_results)]:
        if old_results.get(ref) == new_results.get(ref):
            continue
        mentioned: dict[str, None] = {}
        for catalog in (old, new):
            if ref in catalog.by_ref:
                mentioned.update(dict.fromkeys(catalog.by_ref[ref].facts()))
        differences.append(
            ClauseDifference(
                ref,
                old_results.get(ref),
                new_results.get(ref),
                tuple((key, facts.get(key)) for key in mentioned),
            )
        )
    return Rerun(before.outcome, after.outcome, tuple(differences))


def _known(vocabulary: engine.Vocabulary, facts: Mapping[str, Any]) -> dict[str, Any]:
    # Facts recorded under a fact key a version does not know are not part of
    # its assessment (a fact split since, or declared by the other version).
    return {key: value for key, value in facts.items() if key in vocabulary}
