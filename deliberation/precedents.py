"""Similar decided cases at deliberation (类似已决案例): the decided cases most
like the one before the meeting, the spread of outcomes per clause, and whether
a proposal departs from most of the close precedents.

Definitions (the tests hold these):

- A *precedent* is one adopted determination of a decided case (one subject
  officer), kept as a `PrecedentSignature` when the case is decided
  (`precedent_signatures_record`, from the "decide" move; `manage.py
  precedents_backfill` writes any missing).
- Its tokens are C, the clauses it cited, and F, the (fact key, value) pairs
  of the facts held at deliberation for that officer (the case-wide records
  with the officer's own over them); unknown facts are absent.
- The *query* for an officer under deliberation: C = the clauses cited by the
  proposal (or by the officer's latest determination); with none yet, the
  clauses satisfied at deliberation together with the clauses claimed. F = the
  deliberation facts, or the investigation's when none is recorded at
  deliberation yet.
- similarity(Q, P) = |Q ∩ P| / |Q ∪ P| over the tokens C ∪ F (Jaccard),
  where a clause is shared only within one regulation (the same reference in
  another regulation is another clause); 0 when both are empty.
- Ranking: the same regulation (any version) first, then similarity, then the
  most recently decided.
- Candidates, so that the selection stays fast at any number of decided
  cases: of the same regulation, for each clause of the query the
  `CANDIDATES` most recently decided citing it (with no clause in the query,
  the `CANDIDATES` most recent of the regulation); other regulations' most
  recent `OTHER_CANDIDATES`, ranked only when the regulation has fewer than
  asked. The candidate ids of all officers of a case are read in one query
  (a UNION ALL of the LIMITed index scans), their signatures in another
  (on SQLite, which cannot LIMIT the arms of a UNION, the scans are
  subqueries of that one).
- *Close precedents*: the `CLOSE_TOP` best of the same regulation with a
  similarity of at least `CLOSE_THRESHOLD`. When there are at least
  `CLOSE_MIN` and more than half of them have one outcome, that outcome is the
  precedents' majority; a proposal with another outcome departs from it and
  needs a written reason (`precedent_departure_reason`), which the minutes
  record.
- *Spread per clause*: for each clause of the query, how many precedents of the
  regulation citing it ended in each outcome, in the case's unit and in the
  whole system (the case itself left out).

Access (docs/access.md): a precedent whose case the user may read
(`cases.selectors.cases_readable_by`) shows its number, unit and a link; any
other appears only as an anonymous summary: regulation, outcome, clauses, the
month decided and the similarity; no number, names, unit or measure.
"""

import datetime
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cases.assessment import assess_officer, claimed_refs, facts_by_officer
from cases.models import Case, SubjectOfficer
from cases.workflow import DECIDED_STATES, Stage
from deliberation.models import Determination, Measure, Outcome, PrecedentClause, PrecedentSignature
from exemptions import engine

CANDIDATES = 200
OTHER_CANDIDATES = 50
SHOWN = 5
CLOSE_TOP = 5
CLOSE_THRESHOLD = 0.5
CLOSE_MIN = 3

SUMMARY_FIELDS = (
    "determination_id",
    "case_id",
    "unit_id",
    "regulation_id",
    "outcome",
    "measure",
    "decided_on",
    "clauses",
    "facts",
)


def fact_tokens(facts: dict) -> frozenset[str]:
    """The (fact, value) pairs as tokens "key=value" (value as JSON)."""
    return frozenset(
        f"{key}={json.dumps(value, sort_keys=True, ensure_ascii=False)}"
        for key, value in facts.items()
        if value is not None
    )


@dataclass(frozen=True)
class Query:
    regulation_id: int
    clauses: frozenset[str]
    facts: frozenset[str]
    case_id: int | None = None


def similarity(query: Query, signature) -> float:
    """Jaccard over clause and fact tokens (module docstring); `signature` is
    a PrecedentSignature or a Candidate."""
    clauses = set(signature.clauses)
    facts = set(signature.facts)
    shared = len(query.facts & facts)
    if signature.regulation_id == query.regulation_id:
        shared += len(query.clauses & clauses)
    union = len(query.clauses) + len(query.facts) + len(clauses) + len(facts) - shared
    return shared / union if union else 0.0


# --- signatures --------------------------------------------------------------------


def precedent_signatures_record(case: Case) -> int:
    """Keep a signature for each adopted determination of the (decided) case
    that has none yet; returns how many were written."""
    adopted = list(
        Determination.objects.filter(
            case=case, status=Determination.Status.ADOPTED, precedent_signature__isnull=True
        ).select_related("regulation")
    )
    if not adopted:
        return 0
    facts = facts_by_officer(case, Stage.DELIBERATION)
    written = 0
    for determination in adopted:
        decided_at = determination.decided_at or timezone.now()
        signature = PrecedentSignature.objects.create(
            determination=determination,
            case_id=case.pk,
            unit_id=case.unit_id,
            regulation_id=determination.regulation.regulation_id,
            outcome=determination.outcome,
            measure=determination.measure,
            decided_on=timezone.localdate(decided_at),
            clauses=sorted(set(determination.cited_clauses)),
            facts=sorted(fact_tokens(facts.get(determination.subject_officer_id, {}))),
        )
        PrecedentClause.objects.bulk_create(
            PrecedentClause(
                signature=signature,
                regulation_id=signature.regulation_id,
                unit_id=signature.unit_id,
                clause_ref=ref,
                outcome=signature.outcome,
                decided_on=signature.decided_on,
            )
            for ref in signature.clauses
        )
        written += 1
    return written


def on_case_decided(sender, instance, name, **kwargs) -> None:
    """django-fsm's post_transition: the "decide" move makes the case's
    adopted determinations precedents, in the move's transaction."""
    if name == "decide":
        precedent_signatures_record(instance)


# --- the query -----------------------------------------------------------------------


def query_for(case: Case, subject_officer: SubjectOfficer, cited: list[str] | None = None) -> Query:
    """The query for one officer of the case (see the module's definitions);
    `cited`: the clauses a proposal cites."""
    if cited is None:
        return queries_for(case, [subject_officer])[subject_officer.pk]
    return _query(case, subject_officer, cited, _stage_facts(case))


def queries_for(case: Case, subject_officers) -> dict[int, Query]:
    """{officer id: query} for these officers of the case, in one query
    (the facts and claims come from the case's prefetches when it has them)."""
    latest: dict[int, list[str]] = {}
    # The case's determinations (prefetched by cases.selectors.case_detail).
    for determination in sorted(case.determinations.all(), key=lambda d: (d.created_at, d.pk)):
        latest[determination.subject_officer_id] = determination.cited_clauses
    facts = _stage_facts(case)
    return {so.pk: _query(case, so, latest.get(so.pk), facts) for so in subject_officers}


def _stage_facts(case: Case) -> tuple[dict, dict]:
    return (
        facts_by_officer(case, Stage.DELIBERATION),
        facts_by_officer(case, Stage.INVESTIGATION),
    )


def _query(case, subject_officer, cited, facts) -> Query:
    if cited is None:
        claimed = set(claimed_refs(subject_officer))
        assessment = assess_officer(case, subject_officer, Stage.DELIBERATION)
        cited = [
            r.ref for r in assessment.clauses if r.result == engine.SATISFIED or r.ref in claimed
        ]
    deliberation, investigation = facts
    held = deliberation.get(subject_officer.pk) or investigation.get(subject_officer.pk, {})
    return Query(
        regulation_id=case.regulation.regulation_id,
        clauses=frozenset(cited),
        facts=fact_tokens(held),
        case_id=case.pk,
    )


class Candidate(NamedTuple):
    """A signature as the ranking reads it (plain values: no model instances
    for the few hundred candidates)."""

    pk: int
    case_id: int
    unit_id: int
    regulation_id: int
    outcome: str
    measure: str
    decided_on: datetime.date
    clauses: list[str]
    facts: list[str]


@dataclass(frozen=True)
class Ranked:
    signature: Candidate
    similarity: float
    same_regulation: bool


def similar_precedents(query: Query, *, limit: int = SHOWN) -> list[Ranked]:
    """The `limit` precedents most like the query, ranked (module docstring)."""
    return similar_for_queries([query], limit=limit)[0]


def similar_for_queries(queries: list[Query], *, limit: int = SHOWN) -> list[list[Ranked]]:
    """For queries of one case (one regulation): the ranked precedents of each,
    the bounded candidates of all of them read in one query."""
    if not queries:
        return []
    regulation_id, case_id = queries[0].regulation_id, queries[0].case_id
    clause_rows = PrecedentClause.objects.filter(regulation_id=regulation_id).order_by(
        "-decided_on", "-signature_id"
    )
    recent = PrecedentSignature.objects.order_by("-decided_on", "-pk")
    # Each arm is a LIMITed scan of an index: the candidates stay bounded
    # however many cases are decided.
    arms = [
        recent.exclude(regulation_id=regulation_id).values_list("pk", flat=True)[:OTHER_CANDIDATES]
    ]
    for ref in sorted(set().union(*(q.clauses for q in queries))):
        arms.append(
            clause_rows.filter(clause_ref=ref).values_list("signature_id", flat=True)[:CANDIDATES]
        )
    if any(not q.clauses for q in queries):
        arms.append(
            recent.filter(regulation_id=regulation_id).values_list("pk", flat=True)[:CANDIDATES]
        )
    if connection.features.supports_slicing_ordering_in_compound:
        first, *rest = arms
        chosen = Q(pk__in=set(first.union(*rest, all=True)))
    else:  # SQLite: the arms as subqueries of the one query
        chosen = Q(pk__in=[])
        for arm in arms:
            chosen |= Q(pk__in=arm)
    candidates = [
        Candidate(*row)
        for row in PrecedentSignature.objects.filter(chosen)
        .exclude(case_id=case_id)
        .values_list(*SUMMARY_FIELDS)
    ]
    return [_rank(query, candidates, limit) for query in queries]


def _rank(query: Query, candidates: list[Candidate], limit: int) -> list[Ranked]:
    same = [
        c
        for c in candidates
        if c.regulation_id == query.regulation_id
        and (not query.clauses or query.clauses.intersection(c.clauses))
    ]
    others = [c for c in candidates if c.regulation_id != query.regulation_id]
    pool = same if len(same) >= limit else same + others
    ranked = [Ranked(c, similarity(query, c), c.regulation_id == query.regulation_id) for c in pool]
    ranked.sort(
        key=lambda r: (
            not r.same_regulation,
            -r.similarity,
            -r.signature.decided_on.toordinal(),
            -r.signature.pk,
        )
    )
    return ranked[:limit]


def precedents_majority(ranked: list[Ranked]) -> tuple[str, int, int] | None:
    """(outcome, how many, of how many) when the close precedents have a
    majority outcome (module docstring); None otherwise."""
    close = [r for r in ranked if r.same_regulation and r.similarity >= CLOSE_THRESHOLD]
    close = close[:CLOSE_TOP]
    if len(close) < CLOSE_MIN:
        return None
    outcome, count = Counter(r.signature.outcome for r in close).most_common(1)[0]
    if count * 2 <= len(close):
        return None
    return outcome, count, len(close)


def precedent_departure(query: Query, outcome: str) -> tuple[str, int, int] | None:
    """The close precedents' majority when `outcome` departs from it."""
    majority = precedents_majority(similar_precedents(query, limit=CLOSE_TOP))
    if majority is None or majority[0] == outcome:
        return None
    return majority


def outcome_spread(query: Query, unit_id: int) -> list[dict]:
    """Per clause of the query: {"clause", "unit": [(outcome, label, n)],
    "system": [...]} over the regulation's precedents, the case itself left out."""
    return spreads_for_queries([query], unit_id)[0]


def _empty_spread(query: Query) -> list[dict]:
    return [{"clause": ref, "unit": [], "system": []} for ref in sorted(query.clauses)]


def spreads_for_queries(
    queries: list[Query], unit_id: int, *, own: bool = True
) -> list[list[dict]]:
    """outcome_spread for queries of one case, in two queries (one when the
    case is not decided: `own` False, it has no signature to leave out)."""
    clauses = set().union(*(q.clauses for q in queries)) if queries else set()
    if not clauses:
        return [[] for _ in queries]
    regulation_id, case_id = queries[0].regulation_id, queries[0].case_id
    system: dict[str, Counter] = {ref: Counter() for ref in clauses}
    in_unit: dict[str, Counter] = {ref: Counter() for ref in clauses}
    rows = (
        PrecedentClause.objects.filter(regulation_id=regulation_id, clause_ref__in=clauses)
        .values("clause_ref", "outcome")
        .annotate(system=Count("pk"), unit=Count("pk", filter=Q(unit_id=unit_id)))
        .order_by()
    )
    for row in rows:
        system[row["clause_ref"]][row["outcome"]] += row["system"]
        in_unit[row["clause_ref"]][row["outcome"]] += row["unit"]
    # The case's own determinations are no precedent for itself.
    own_rows = (
        PrecedentClause.objects.filter(
            signature__case_id=case_id, clause_ref__in=clauses
        ).values_list("clause_ref", "outcome", "unit_id")
        if own
        else []
    )
    for ref, outcome, own_unit in own_rows:
        system[ref][outcome] -= 1
        if own_unit == unit_id:
            in_unit[ref][outcome] -= 1
    return [
        [
            {"clause": ref, "unit": _ordered(in_unit[ref]), "system": _ordered(system[ref])}
            for ref in sorted(q.clauses)
        ]
        for q in queries
    ]


def _ordered(counter: Counter) -> list[tuple[str, str, int]]:
    return [(value, label, counter[value]) for value, label in Outcome.choices if counter[value]]


# --- what the pages show ------------------------------------------------------------


@dataclass
class PrecedentRow:
    similarity: int  # percent
    outcome: str
    outcome_label: str
    clauses: list[str]
    regulation: str
    month: str
    readable: bool
    number: str = ""
    unit: str = ""
    measure: str = ""
    decided_on: object = None
    url: str = ""


@dataclass
class OfficerPrecedents:
    subject_officer: SubjectOfficer
    rows: list[PrecedentRow] = field(default_factory=list)
    spread: list[dict] = field(default_factory=list)
    majority: tuple[str, str, int, int] | None = None


def precedents_for_officers(user: User, case: Case, subject_officers) -> list[OfficerPrecedents]:
    """The similar decided cases of each officer, as this user may see them,
    in a fixed number of queries however many officers there are."""
    from cases.selectors import cases_readable_by  # cases.selectors imports deliberation

    subject_officers = list(subject_officers)
    by_officer = queries_for(case, subject_officers)
    queries = [by_officer[so.pk] for so in subject_officers]
    rankings = similar_for_queries(queries)
    # No candidate of the regulation: no precedent cites the clauses either.
    any_same = any(r.same_regulation for ranked in rankings for r in ranked)
    spreads = (
        spreads_for_queries(queries, case.unit_id, own=case.state in DECIDED_STATES)
        if any_same
        else [_empty_spread(q) for q in queries]
    )
    shown = {r.signature.pk: r.signature for ranked in rankings for r in ranked}.values()
    readable = {
        c.pk: c
        for c in Case.objects.filter(cases_readable_by(user), pk__in={s.case_id for s in shown})
        .select_related("unit")
        .only("pk", "number", "unit__name")
    }
    regulations = _regulation_names({s.regulation_id for s in shown})
    panels = []
    for so, ranked, spread in zip(subject_officers, rankings, spreads, strict=True):
        majority = precedents_majority(ranked)
        panels.append(
            OfficerPrecedents(
                subject_officer=so,
                rows=[_row(r, readable, regulations) for r in ranked],
                spread=spread,
                majority=(majority[0], Outcome(majority[0]).label, majority[1], majority[2])
                if majority
                else None,
            )
        )
    return panels


def precedents_for_officer(
    user: User, case: Case, subject_officer: SubjectOfficer
) -> OfficerPrecedents:
    """The similar decided cases for one officer, as this user may see them."""
    return precedents_for_officers(user, case, [subject_officer])[0]


def _row(ranked: Ranked, readable: dict, regulations: dict) -> PrecedentRow:
    s = ranked.signature
    row = PrecedentRow(
        similarity=round(ranked.similarity * 100),
        outcome=s.outcome,
        outcome_label=Outcome(s.outcome).label if s.outcome in Outcome.values else s.outcome,
        clauses=list(s.clauses),
        regulation=regulations.get(s.regulation_id, ""),
        month=s.decided_on.strftime("%Y-%m"),
        readable=s.case_id in readable,
    )
    if row.readable:
        other = readable[s.case_id]
        row.number = other.display_number
        row.unit = other.unit.name
        row.measure = Measure(s.measure).label if s.measure in Measure.values else ""
        row.decided_on = s.decided_on
        row.url = reverse("cases:detail", args=[s.case_id])
    return row


def _regulation_names(ids: set[int]) -> dict[int, str]:
    """{regulation id: the title of its newest version}."""
    from exemptions.models import RegulationVersion

    names: dict[int, str] = {}
    for regulation_id, title in (
        RegulationVersion.objects.filter(regulation_id__in=ids)
        .order_by("regulation_id", "-number")
        .values_list("regulation_id", "title")
    ):
        names.setdefault(regulation_id, title)
    return names


def precedent_departure_check(
    case: Case, subject_officer: SubjectOfficer, outcome: str, cited, reason: str
) -> str:
    """For a proposal: the reason to keep for departing from the close
    precedents' majority ("" when it does not depart); a ValidationError on
    precedent_departure_reason when it departs without a reason."""
    from django.core.exceptions import ValidationError

    from deliberation import errors

    majority = precedent_departure(query_for(case, subject_officer, list(cited)), outcome)
    if majority is None:
        return ""
    if not reason.strip():
        raise ValidationError(
            {
                "precedent_departure_reason": errors.PRECEDENT_DEPARTURE_REASON_MISSING
                % {
                    "total": majority[2],
                    "count": majority[1],
                    "outcome": Outcome(majority[0]).label,
                }
            }
        )
    return reason.strip()
