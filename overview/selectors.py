"""The numbers of the overview, read in a fixed number of aggregate queries
whatever the number of cases: every figure is a GROUP BY in the database over
the cases in scope (the units overseen, created within the period).

Stage times come from the audit trail: each CASE_TRANSITIONED event ends a
stay in the stage it leaves (`data["before"]`), which began at the case's
previous transition, or at its creation for the first one."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, FloatField, Func, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Lag
from django.utils.translation import gettext as _

from audit.models import AuditEvent, AuditEventType
from cases.models import Case, ClauseClaim, SubjectOfficer
from cases.services.deadlines import FINAL_STATES
from cases.workflow import CaseState
from deliberation.models import Determination, Outcome
from exemptions.models import Clause
from investigation.models import ClauseConclusion, ReportConclusion

# Stages a case stays in for a while, in workflow order (the final states have
# no end, so no time spent in them can be measured).
TIMED_STATES = [state for state in CaseState if state not in FINAL_STATES]
# How many overdue cases the page lists by name (the chart counts them all).
OVERDUE_LISTED = 20
PENDING = "pending"


@dataclass(frozen=True)
class Scope:
    """Which cases the figures cover: those of `unit_ids` created in
    [start, end) (either bound may be open)."""

    unit_ids: frozenset[int]
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None

    def cases(self) -> QuerySet[Case]:
        cases = Case.objects.filter(unit_id__in=self.unit_ids)
        if self.start is not None:
            cases = cases.filter(created_at__gte=self.start)
        if self.end is not None:
            cases = cases.filter(created_at__lt=self.end)
        return cases.order_by()


@dataclass(frozen=True)
class CategoryCount:
    """One category and how many fall in it."""

    key: str
    label: str
    count: int


@dataclass(frozen=True)
class UnitCount:
    unit_id: int
    name: str
    count: int


@dataclass(frozen=True)
class ClauseUse:
    """How often one clause was relied on: claimed for an officer at intake,
    found satisfied in an investigation report, cited in an adopted
    determination."""

    slug: str
    jurisdiction: str
    ref: str
    kind: str
    text: str
    claimed: int
    found_satisfied: int
    cited: int


@dataclass(frozen=True)
class StageTime:
    state: str
    label: str
    stays: int
    mean_days: float | None
    median_days: float | None


@dataclass(frozen=True)
class OverdueCount:
    state: str
    label: str
    open: int
    overdue: int


@dataclass(frozen=True)
class Overview:
    by_stage: list[CategoryCount]
    by_outcome: list[CategoryCount]
    by_unit: list[UnitCount]
    clauses: list[ClauseUse]
    stage_times: list[StageTime]
    overdue_by_stage: list[OverdueCount]
    overdue_cases: list[Case]

    @property
    def total_cases(self) -> int:
        return sum(item.count for item in self.by_stage)

    @property
    def open_cases(self) -> int:
        return sum(item.open for item in self.overdue_by_stage)

    @property
    def overdue_total(self) -> int:
        return sum(item.overdue for item in self.overdue_by_stage)

    @property
    def determinations_adopted(self) -> int:
        return sum(item.count for item in self.by_outcome if item.key != PENDING)


def overview_build(*, scope: Scope, now: datetime.datetime) -> Overview:
    """Every figure of the overview page for the cases in `scope`."""
    cases = scope.cases()
    return Overview(
        by_stage=cases_by_stage(cases),
        by_outcome=officers_by_outcome(cases),
        by_unit=cases_by_unit(cases),
        clauses=clause_uses(cases),
        stage_times=stage_times(cases),
        overdue_by_stage=cases_overdue_by_stage(cases, now=now),
        overdue_cases=overdue_cases(cases, now=now),
    )


def cases_by_stage(cases: QuerySet[Case]) -> list[CategoryCount]:
    """Every stage in workflow order, with how many cases are in it now."""
    counts = dict(cases.values_list("state").annotate(n=Count("id")))
    return [
        CategoryCount(state.value, str(state.label), counts.get(state.value, 0))
        for state in CaseState
    ]


def cases_by_unit(cases: QuerySet[Case]) -> list[UnitCount]:
    """The units that have cases, most cases first."""
    rows = (
        cases.values("unit_id", "unit__name").annotate(n=Count("id")).order_by("-n", "unit__name")
    )
    return [UnitCount(row["unit_id"], row["unit__name"], row["n"]) for row in rows]


def officers_by_outcome(cases: QuerySet[Case]) -> list[CategoryCount]:
    """Determinations are per subject officer: each officer of a case in scope
    counts once, under the outcome adopted for them, or as still pending
    (officers of withdrawn cases are left out: no one will decide on them)."""
    adopted = Determination.objects.filter(
        subject_officer=OuterRef("pk"), status=Determination.Status.ADOPTED
    ).order_by("-decided_at", "-pk")
    counts = dict(
        SubjectOfficer.objects.filter(case__in=cases.values("pk"))
        .exclude(case__state=CaseState.WITHDRAWN)
        .annotate(outcome=Subquery(adopted.values("outcome")[:1]))
        .values_list("outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    result = [CategoryCount(o.value, str(o.label), counts.get(o.value, 0)) for o in Outcome]
    result.append(CategoryCount(PENDING, _("尚未作出认定"), counts.get(None, 0)))
    return result


def clause_uses(cases: QuerySet[Case]) -> list[ClauseUse]:
    """Every clause relied on at least once, most cited first. A
    determination's cited clauses are a JSON list: the database groups the
    determinations by the list they cite (few distinct lists, however many
    cases), and the lists are then counted clause by clause."""
    in_scope = cases.values("pk")
    cited: dict[tuple[str, str], int] = defaultdict(int)
    rows = (
        Determination.objects.filter(case__in=in_scope, status=Determination.Status.ADOPTED)
        .values_list("regulation__regulation__slug", "cited_clauses")
        .annotate(n=Count("id"))
        .order_by()
    )
    for slug, refs, n in rows:
        for ref in dict.fromkeys(refs or ()):
            cited[slug, ref] += n
    claimed = {
        (slug, ref): n
        for slug, ref, n in ClauseClaim.objects.filter(case__in=in_scope)
        .values_list("case__regulation__regulation__slug", "clause_ref")
        .annotate(n=Count("id"))
        .order_by()
    }
    satisfied = {
        (slug, ref): n
        for slug, ref, n in ReportConclusion.objects.filter(
            report__case__in=in_scope, conclusion=ClauseConclusion.SATISFIED
        )
        .values_list("report__case__regulation__regulation__slug", "clause_ref")
        .annotate(n=Count("id"))
        .order_by()
    }
    keys = set(cited) | set(claimed) | set(satisfied)
    if not keys:
        return []
    clauses = _clauses(keys)
    uses = []
    for slug, ref in keys:
        clause = clauses.get((slug, ref), {})
        uses.append(
            ClauseUse(
                slug=slug,
                jurisdiction=clause.get("jurisdiction", slug),
                ref=ref,
                kind=clause.get("kind", ""),
                text=clause.get("text", ""),
                claimed=claimed.get((slug, ref), 0),
                found_satisfied=satisfied.get((slug, ref), 0),
                cited=cited.get((slug, ref), 0),
            )
        )
    uses.sort(key=lambda u: (-u.cited, -u.found_satisfied, -u.claimed, u.slug, _ref_order(u.ref)))
    return uses


def _ref_order(ref: str) -> tuple:
    """ "6.4" before "6.12"; principles ("4:level") by their article."""
    return tuple(int(p) if p.isdigit() else 0 for p in ref.replace(":", ".").split("."))


def _clauses(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    """Kind, text and jurisdiction of the clauses, from each regulation's
    current version (refs are stable across versions)."""
    keys = set(keys)
    rows = Clause.objects.filter(
        version__is_current=True,
        version__regulation__slug__in={slug for slug, _ref in keys},
        ref__in={ref for _slug, ref in keys},
    ).values(
        "ref",
        "kind",
        "text",
        slug=F("version__regulation__slug"),
        jurisdiction=F("version__regulation__jurisdiction_name"),
    )
    kinds = dict(Clause.Kind.choices)
    return {
        (row["slug"], row["ref"]): {
            "kind": str(kinds.get(row["kind"], row["kind"])),
            "text": row["text"],
            "jurisdiction": row["jurisdiction"],
        }
        for row in rows
    }


class DaysBetween(Func):
    """Days (fractional) from the first datetime to the second. SQLite and
    PostgreSQL, the two databases the project runs on, spell it differently."""

    arity = 2
    output_field = FloatField()

    def _render(self, compiler, template: str):
        start, end = (compiler.compile(e) for e in self.get_source_expressions())
        return template.format(start=start[0], end=end[0]), (*end[1], *start[1])

    def as_sqlite(self, compiler, connection, **extra):
        return self._render(compiler, "(julianday({end}) - julianday({start}))")

    def as_postgresql(self, compiler, connection, **extra):
        return self._render(
            compiler, "CAST(EXTRACT(EPOCH FROM ({end} - {start})) / 86400 AS double precision)"
        )


# Median and mean per stage over the stays: the rows are ranked per stage in
# the database, and the median is the middle row (the mean of the two middle
# rows when the count is even: 2·rank is then count or count + 2).
_STAGE_TIMES_SQL = """
SELECT stage, COUNT(*), AVG(days),
       AVG(CASE WHEN 2 * rn IN (cnt, cnt + 1, cnt + 2) THEN days END)
FROM (
    SELECT stage, days,
           ROW_NUMBER() OVER (PARTITION BY stage ORDER BY days) AS rn,
           COUNT(*) OVER (PARTITION BY stage) AS cnt
    FROM ({stays}) AS stays
) AS ranked
GROUP BY stage
"""


def stage_stays(cases: QuerySet[Case]) -> QuerySet:
    """One row per completed stay in a stage: (stage, days)."""
    return (
        AuditEvent.objects.filter(
            event_type=AuditEventType.CASE_TRANSITIONED, case__in=cases.values("pk")
        )
        .annotate(
            stage=KeyTextTransform("before", "data"),
            days=DaysBetween(
                Window(
                    Lag("occurred_at", default=F("case__created_at")),
                    partition_by=[F("case_id")],
                    order_by=F("sequence").asc(),
                ),
                F("occurred_at"),
            ),
        )
        .values("stage", "days")
        .order_by()
    )


def stage_times(cases: QuerySet[Case]) -> list[StageTime]:
    """Completed stays per stage, with their mean and median length in days,
    for every stage a case can stay in (in workflow order)."""
    sql, params = stage_stays(cases).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(_STAGE_TIMES_SQL.format(stays=sql), params)
        rows = {stage: (n, mean, median) for stage, n, mean, median in cursor.fetchall()}
    result = []
    for state in TIMED_STATES:
        n, mean, median = rows.get(state.value, (0, None, None))
        result.append(
            StageTime(
                state.value,
                str(state.label),
                n,
                None if mean is None else float(mean),
                None if median is None else float(median),
            )
        )
    return result


def cases_overdue_by_stage(cases: QuerySet[Case], *, now: datetime.datetime) -> list[OverdueCount]:
    """Per stage with a time limit: the cases in it, and how many are past
    their stage deadline (StageDeadline, set when the case entered the stage)."""
    rows = {
        row["state"]: row
        for row in cases.exclude(state__in=FINAL_STATES)
        .values("state")
        .annotate(
            n=Count("id"),
            overdue=Count("id", filter=Q(deadline_at__isnull=False, deadline_at__lte=now)),
        )
    }
    return [
        OverdueCount(
            state.value,
            str(state.label),
            rows.get(state.value, {}).get("n", 0),
            rows.get(state.value, {}).get("overdue", 0),
        )
        for state in TIMED_STATES
    ]


def overdue_cases(cases: QuerySet[Case], *, now: datetime.datetime) -> list[Case]:
    """The overdue cases longest past their deadline first (the first
    OVERDUE_LISTED of them)."""
    return list(
        cases.exclude(state__in=FINAL_STATES)
        .filter(deadline_at__isnull=False, deadline_at__lte=now)
        .select_related("unit")
        .order_by("deadline_at", "pk")[:OVERDUE_LISTED]
    )
