"""Read queries about cases."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet, Value, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.functional import Promise

from accounts.models import User
from cases.extensions import list_prefetches
from cases.models import Case, Evidence, FactRecord, SubjectOfficer
from cases.parties import PARTIES
from cases.readers import reader_condition
from cases.workflow import STAGES, AvailableTransition, Duty, available_transitions
from documents.models import Document


def cases_readable_by(user: User) -> Q:
    """The condition on cases that the user reads: its participants only
    (need-to-know, the reader arms of cases.readers). The one scoping of every
    read path: case lists, search, counts, and, through
    cases.rules.can_see_case, each case and what hangs on it."""
    condition = reader_condition(user)
    return Q(pk__in=[]) if condition is None else condition


def readable_case_ids(user: User, case_ids) -> set[int]:
    """Which of the given cases the user reads, in one query (for pages that
    list cases found another way, such as My tasks)."""
    return set(
        Case.objects.filter(cases_readable_by(user), pk__in=list(case_ids)).values_list(
            "pk", flat=True
        )
    )


def case_list_for_user(user: User) -> QuerySet[Case]:
    """Cases the user may see, newest first, with what the list shows: the
    unit, the subject officers and the adopted determinations, in a fixed
    number of queries. The long texts (and the regulation's catalogue) stay
    in the database: the list never shows them."""
    return (
        Case.objects.filter(cases_readable_by(user))
        .select_related("unit")
        .defer("incident_summary", "allegation", "regulation_change_reason")
        .prefetch_related(
            Prefetch(
                "subject_officers",
                queryset=SubjectOfficer.objects.select_related("officer").only(
                    "id", "case_id", "part", "officer__id", "officer__name"
                ),
            ),
            # The stages' own (deliberation's adopted determinations).
            *list_prefetches(),
        )
    )


def visible_case_by_number(user: User, number: str) -> Case | None:
    """The case of that number among those the user may see; None for a
    blank number, an unknown one, or one of a unit out of sight."""
    number = number.strip()
    if not number:
        return None
    return Case.objects.filter(cases_readable_by(user), number=number).first()


def case_detail(pk: int) -> Case:
    """One case with everything its pages show, in a fixed number of queries."""
    return case_detail_prefetched(case_header(pk))


def case_header(pk: int) -> Case:
    """One case with what every case page names (its unit, people and
    regulation), in one query: enough to decide who may see it."""
    return Case.objects.select_related(
        "unit",
        "unit__discipline_body",
        "created_by",
        "lead_investigator",
        "regulation",
        "regulation__regulation",
    ).get(pk=pk)


def case_detail_prefetched(case: Case) -> Case:
    """The case_header with the rest of case_detail loaded: done after the
    access check, so a refusal costs none of it."""
    prefetch_related_objects(
        [case],
        Prefetch(
            "subject_officers",
            queryset=SubjectOfficer.objects.select_related(
                "officer", "officer__unit"
            ).prefetch_related("clause_claims"),
        ),
        Prefetch(
            "fact_records",
            queryset=FactRecord.objects.select_related(
                "recorded_by", "confirmed_by"
            ).prefetch_related("evidence"),
        ),
        Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by")),
        Prefetch("documents", queryset=Document.objects.order_by("kind", "-requested_at")),
        "determinations",
        "filing_packages__acknowledged_by",
    )
    return case


def latest_documents(case: Case) -> list[Document]:
    """The newest document of each kind (uses the prefetched documents)."""
    seen: dict[str, Document] = {}
    for document in case.documents.all():
        seen.setdefault(document.kind, document)
    return list(seen.values())


# --- who acts now: everything below reads cases.workflow.STAGES ----------------------


def case_responsible_users(case: Case) -> list[User]:
    """Who the case is waiting on in its current stage (the waiting-on line,
    reminders): every party the stage's duties name, active accounts only,
    each once, in the table's order."""
    seen: dict[int, User] = {}
    for duty in STAGES[case.state].duties:
        for user in PARTIES[duty.party].users(case):
            if user is not None and user.is_active:
                seen.setdefault(user.pk, user)
    return list(seen.values())


@dataclass(frozen=True)
class NextStep:
    """What a user is to do next on a case, and the page where it is done
    (a URL name taking the case's pk, or none for the filings inbox)."""

    label: Promise
    url_name: str
    takes_case: bool = True

    def url_for(self, case: Case) -> str:
        return reverse(self.url_name, args=[case.pk] if self.takes_case else [])


def _step(duty: Duty) -> NextStep:
    return NextStep(duty.step, duty.url_name, duty.takes_case)


@dataclass(frozen=True)
class CaseActions:
    """For one case and one user: the moves the user may see (allowed or with
    the reason they are refused), the step the case waits on the user for
    (None when it waits on others) and everyone it waits on."""

    moves: list[AvailableTransition]
    step: NextStep | None
    waiting_on: list[User]


def case_actions(case: Case, user: User) -> CaseActions:
    """The one answer to "what can this user do on this case now, and who
    does it wait on" (the case page)."""
    return CaseActions(
        moves=available_transitions(case, user),
        step=case_next_step(case, user),
        waiting_on=case_responsible_users(case),
    )


def case_next_step(case: Case, user: User) -> NextStep | None:
    """The step the case waits on the user for: the first duty of its stage
    whose party the user is; None when it waits on others."""
    if not user.is_authenticated or not user.is_active:
        return None
    for duty in STAGES[case.state].duties:
        if any(u is not None and u.pk == user.pk for u in PARTIES[duty.party].users(case)):
            return _step(duty)
    return None


def cases_waiting_on(user: User) -> QuerySet[Case]:
    """The cases waiting on the user now: the inverse of
    case_responsible_users, from the same table. Soonest deadline first, so
    overdue cases lead; cases without a deadline last.

    One query: a union of one small indexed select per way a case can wait on
    someone (compiled once per user: _kept_sql), so that it stays cheap
    enough to count on every page."""
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    union = _kept_sql(user, "waiting")
    if union is None:
        return Case.objects.none()
    return (
        # Django's own compiled SQL; every value is in params.
        Case.objects.filter(pk__in=RawSQL(*union))  # noqa: S611
        .select_related("unit")
        .defer("incident_summary", "allegation", "regulation_change_reason")
        .order_by(F("deadline_at").asc(nulls_last=True), "pk")
    )


def cases_waiting_on_count(user: User) -> int:
    """How many cases wait on the user (the navigation's badge): one query."""
    if not user.is_authenticated or not user.is_active:
        return 0
    union = _kept_sql(user, "waiting")
    if union is None:
        return 0
    sql, params = union
    with connection.cursor() as cursor:
        # Counted directly, which spares the planner a join back to the cases.
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS waiting", params)  # noqa: S608
        return cursor.fetchone()[0]


# The compiled queries of the cases waiting on a user, kept for each user and
# the few things of theirs the parties' arms read (roles, units, discipline
# body; a test holds the arms to building without a query): every full page
# counts the badge, and compiling the union, a select per party and stage,
# cost more than running it (about 16 ms; 35 ms for My tasks' ranked one).
# Kept for a few hundred at a time; the queries themselves always run.
_kept_sql_cache: dict[tuple, tuple[str, tuple] | None] = {}
_KEPT_SQL_LIMIT = 512


def _kept_sql(user: User, kind: str) -> tuple[str, tuple] | None:
    """The compiled SQL and params of the user's "waiting" union (case ids;
    UNION, not ALL, drops a case reached two ways) or "ranked" union (case
    id, duty rank); None when no arm can reach the user."""
    key = (
        kind,
        connection.vendor,
        user.pk,
        user.role_codes(),
        user.unit_ids(),
        user.discipline_body_id,
    )
    if key not in _kept_sql_cache:
        if len(_kept_sql_cache) >= _KEPT_SQL_LIMIT:
            _kept_sql_cache.clear()
        if kind == "waiting":
            union = _union(_arms(user), union_all=False)
        else:
            union = _union(_ranked_arms(user), union_all=True)
        _kept_sql_cache[key] = None if union is None else union.query.sql_with_params()
    return _kept_sql_cache[key]


def _arms(user: User) -> list:
    """The selects of case ids waiting on the user: one set per party, over
    every stage in which that party has a duty. (A party's arms are filters of
    the cases they are given, so the stages can share them; building the
    query, not running it, is what costs on every page's badge.)"""
    states_by_party: dict[str, list[str]] = {}
    for state, rule in STAGES.items():
        for duty in rule.duties:
            states_by_party.setdefault(duty.party, []).append(state)
    cases = Case.objects.order_by()
    return [
        arm
        for party, states in states_by_party.items()
        for arm in PARTIES[party].arms(user, cases.filter(state__in=states))
    ]


def _ranked_arms(user: User) -> list:
    """One select of (case id, duty rank) per (stage, duty) whose party the
    user may be: the rank says which duty comes first in the table."""
    cases = Case.objects.order_by()
    arms = []
    rank = 0
    for state, rule in STAGES.items():
        for duty in rule.duties:
            for arm in PARTIES[duty.party].arms(user, cases.filter(state=state)):
                (column,) = arm.query.values_select or ("pk",)
                arms.append(arm.annotate(duty_rank=Value(rank)).values_list(column, "duty_rank"))
            rank += 1
    return arms


def _union(arms: list, *, union_all: bool) -> QuerySet | None:
    """The arms as one select (UNION ALL with `union_all`); None without arms."""
    if not arms:
        return None
    first, *rest = arms
    return first.union(*rest, all=union_all) if rest else first


def tasks_for(user: User, cases: list[Case]) -> dict[int, NextStep]:
    """The step each of these cases (waiting on the user) expects of them,
    in one query whatever their number: the first duty whose party the user
    is, as the table orders them."""
    union = _kept_sql(user, "ranked")
    if union is None or not cases:
        return {}
    duties = [duty for rule in STAGES.values() for duty in rule.duties]
    wanted = {case.pk for case in cases}
    found: dict[int, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(*union)
        rows = cursor.fetchall()
    for case_id, rank in rows:
        if case_id in wanted:
            found[case_id] = min(rank, found.get(case_id, rank))
    return {case_id: _step(duties[rank]) for case_id, rank in found.items()}
