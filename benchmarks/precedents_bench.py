"""Time the similar-decided-cases selection on PostgreSQL with 100,000 decided
cases.

    python benchmarks/precedents_bench.py [--runs 60] [--cases 100000] [--reseed]

Creates (or reuses) the database `jinzhi_h19p` on the local PostgreSQL
(postgres://postgres@127.0.0.1:5432, or BENCH_DATABASE_URL), migrates it,
loads the catalogues and, unless it already holds them, seeds in bulk: a
Tai'an and a Lianyungang city bureau with county bureaus, and the decided cases
(one subject officer each, a closed meeting, an adopted determination citing
one to three clauses, skewed so that a few clauses are cited by most cases,
and its precedent signature with five to ten deliberation facts, as the
"decide" move writes it). Then, for a Tai'an case in deliberation whose
query cites the most cited clause (the largest candidate set), it times what
the meeting page asks per officer, as a leadership member of the city bureau:
`precedents_for_officer` (the query, the bounded candidates, the ranking, the
readable-case check, the spread per clause) and the departure check of a
proposal. Prints the median and p95 and writes benchmarks/results/precedents.txt.
Target (issue 19): at most 150 ms median.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "benchmarks" / "results" / "precedents.txt"
SERVER = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
DATABASE = "jinzhi_h19p"
PREFIX = "pbench"
TARGET_MS = 150
WARMUP = 5
OUTCOMES = ["exempt", "no_fault", "mitigated", "liable"]
FACT_KEYS = [
    "inspection_plan_followed",
    "cause_outside_inspection_scope",
    "fault_established",
    "intentional_violation",
    "gross_negligence",
    "personal_gain",
    "formal_review_only",
    "formal_review_duty_fulfilled",
    "false_materials_provided",
    "review_duty_fulfilled",
    "inspection_duties_performed",
    "objectively_undiscoverable",
]


def _ensure_database() -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{DATABASE}"')


def _setup() -> None:
    os.environ.update(
        {
            "DATABASE_URL": f"{SERVER}/{DATABASE}",
            "DJANGO_READ_DOT_ENV": "false",
            "DEBUG": "false",
            "SECRET_KEY": "benchmark-only-secret-key-not-for-any-deployment",
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "false",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_catalogs", verbosity=0)


def _reset() -> None:
    import psycopg
    from django.core.management import call_command
    from django.db import connection

    connection.close()
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{DATABASE}"')
    call_command("migrate", verbosity=0)
    call_command("load_catalogs", verbosity=0)


def _units():
    from accounts.models import Unit

    made = {}
    for city, abbreviation, jurisdiction, counties in (
        ("泰安", "泰", "taian", 11),
        ("连云港", "连", "lianyungang", 7),
    ):
        parent, _ = Unit.objects.get_or_create(
            abbreviation=f"{PREFIX}{abbreviation}市监",
            defaults={
                "name": f"{PREFIX}{city}市市场监督管理局",
                "kind": Unit.Kind.MUNICIPAL_BUREAU,
                "level": Unit.Level.MUNICIPAL,
                "jurisdiction": jurisdiction,
            },
        )
        children = [
            Unit.objects.get_or_create(
                abbreviation=f"{PREFIX}{abbreviation}{i}县市监",
                defaults={
                    "name": f"{PREFIX}{city}市第{i}县市场监督管理局",
                    "kind": Unit.Kind.COUNTY_BUREAU,
                    "level": Unit.Level.COUNTY,
                    "parent": parent,
                    "jurisdiction": jurisdiction,
                },
            )[0]
            for i in range(1, counties + 1)
        ]
        made[jurisdiction] = (parent, children)
    return made


def _user(username: str, unit, role: str):
    from django.contrib.auth.models import Group

    from accounts.models import User

    user, created = User.objects.get_or_create(
        username=f"{PREFIX}_{username}", defaults={"display_name": username}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.units.add(unit)
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def _skewed(rng: random.Random, refs: list[str]) -> list[str]:
    """One to three clauses, the first ones of the list far more often
    (Zipf-like), so that the most cited clause has a large share of cases."""
    weights = [1 / (i + 1) for i in range(len(refs))]
    return sorted(set(rng.choices(refs, weights, k=rng.choice((1, 1, 2, 3)))))


def _seed(total: int) -> None:
    from django.db import connection, transaction

    from accounts.models import Officer
    from accounts.roles import Role
    from cases.models import Case, SubjectOfficer
    from deliberation.models import Determination, Meeting, PrecedentClause, PrecedentSignature
    from deliberation.precedents import fact_tokens
    from exemptions.models import RegulationVersion
    from exemptions.selectors import catalog_for_version

    rng = random.Random(2026)  # noqa: S311 (test data, not secrets)
    now = datetime.datetime.now(datetime.UTC)
    units = _units()
    all_units = [u for parent, children in units.values() for u in (parent, *children)]
    versions = {
        code: RegulationVersion.objects.get(is_current=True, regulation__jurisdiction_code=code)
        for code in units
    }
    refs = {code: [c.ref for c in catalog_for_version(v).clauses] for code, v in versions.items()}
    chairs, officers = {}, {}
    for index, unit in enumerate(all_units):
        chairs[unit.pk] = _user(f"chair{index}", unit, Role.LEADERSHIP_CHAIR)
        officers[unit.pk] = Officer.objects.bulk_create(
            Officer(
                name=f"执法{unit.pk}-{i}",
                certificate_number=f"{PREFIX}{unit.pk:03d}{i:04d}",
                unit=unit,
                post="执法人员",
            )
            for i in range(10)
        )
    stamped = [Case._meta.get_field(name) for name in ("created_at", "state_entered_at")]
    for field in stamped:
        field.auto_now_add = False
    sequences: dict[tuple[int, int], int] = {}
    batch = 5000
    try:
        for start in range(0, total, batch):
            cases = []
            for _ in range(min(batch, total - start)):
                unit = rng.choice(all_units)
                created = now - datetime.timedelta(days=rng.uniform(30, 1100))
                year = created.year
                sequence = sequences.get((unit.pk, year), 0) + 1
                sequences[(unit.pk, year)] = sequence
                cases.append(
                    Case(
                        unit=unit,
                        year=year,
                        sequence=sequence,
                        number=f"{unit.abbreviation}〔{year}〕{sequence}号",
                        regulation=versions[unit.jurisdiction],
                        incident_summary="群众举报某经营者违法经营，执法人员检查时未发现。",
                        incident_date=created.date(),
                        incident_place="城区",
                        field="food",
                        activity_kind="inspection",
                        lead_source="complaint",
                        allegation="执法人员涉嫌未履行监督检查职责。",
                        state=rng.choice(("decided", "filed", "published", "closed")),
                        state_entered_at=created + datetime.timedelta(days=20),
                        created_by=chairs[unit.pk],
                        created_at=created,
                    )
                )
            with transaction.atomic():
                Case.objects.bulk_create(cases)
                subjects = SubjectOfficer.objects.bulk_create(
                    SubjectOfficer(case=case, officer=rng.choice(officers[case.unit_id]))
                    for case in cases
                )
                meetings = Meeting.objects.bulk_create(
                    Meeting(
                        case=case,
                        held_on=case.state_entered_at.date(),
                        place="局党组会议室",
                        status=Meeting.Status.CLOSED,
                        quorum_numerator=2,
                        quorum_denominator=3,
                        majority_numerator=1,
                        majority_denominator=2,
                        convened_by=chairs[case.unit_id],
                        closed_by=chairs[case.unit_id],
                        closed_at=case.state_entered_at,
                    )
                    for case in cases
                )
                determinations = []
                for case, subject, meeting in zip(cases, subjects, meetings, strict=True):
                    outcome = rng.choice(OUTCOMES)
                    determinations.append(
                        Determination(
                            case=case,
                            subject_officer=subject,
                            meeting=meeting,
                            regulation_id=case.regulation_id,
                            outcome=outcome,
                            engine_outcome=outcome,
                            cited_clauses=_skewed(rng, refs[case.unit.jurisdiction]),
                            reasons="经集体研究认定。",
                            status=Determination.Status.ADOPTED,
                            proposed_by=meeting.convened_by,
                            decided_at=meeting.closed_at,
                        )
                    )
                Determination.objects.bulk_create(determinations)
                signatures = PrecedentSignature.objects.bulk_create(
                    PrecedentSignature(
                        determination=d,
                        case_id=d.case_id,
                        unit_id=d.case.unit_id,
                        regulation_id=versions[d.case.unit.jurisdiction].regulation_id,
                        outcome=d.outcome,
                        decided_on=d.decided_at.date(),
                        clauses=d.cited_clauses,
                        facts=sorted(
                            fact_tokens(
                                {
                                    key: rng.random() < 0.5
                                    for key in rng.sample(FACT_KEYS, rng.randint(5, 10))
                                }
                            )
                        ),
                    )
                    for d in determinations
                )
                PrecedentClause.objects.bulk_create(
                    PrecedentClause(
                        signature=s,
                        regulation_id=s.regulation_id,
                        unit_id=s.unit_id,
                        clause_ref=ref,
                        outcome=s.outcome,
                        decided_on=s.decided_on,
                    )
                    for s in signatures
                    for ref in s.clauses
                )
            print(f"  seeded {start + len(cases)} decided cases", flush=True)
    finally:
        for field in stamped:
            field.auto_now_add = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _seeded_count() -> int:
    from deliberation.models import PrecedentSignature

    return PrecedentSignature.objects.filter(unit__abbreviation__startswith=PREFIX).count()


def _deliberating_case():
    """A Tai'an case of the city bureau in deliberation, with deliberation
    facts and a claim of the most cited clause (made once, kept)."""
    from accounts.models import Officer, Unit
    from accounts.roles import Role
    from cases.models import Case, ClauseClaim, FactRecord, SubjectOfficer
    from cases.selectors import case_detail
    from exemptions.models import RegulationVersion
    from exemptions.selectors import catalog_for_version

    unit = Unit.objects.get(abbreviation=f"{PREFIX}泰市监")
    case = Case.objects.filter(unit=unit, state="deliberation").first()
    if case is None:
        version = RegulationVersion.objects.get(
            is_current=True, regulation__jurisdiction_code="taian"
        )
        chair = _user("chair0", unit, Role.LEADERSHIP_CHAIR)
        case = Case.objects.create(
            unit=unit,
            year=2099,
            sequence=1,
            number=f"{unit.abbreviation}〔2099〕1号",
            regulation=version,
            incident_summary="群众举报某超市销售过期食品。",
            incident_date=datetime.date(2026, 3, 5),
            incident_place="城区",
            field="food",
            activity_kind="inspection",
            lead_source="complaint",
            allegation="执法人员涉嫌未履行监督检查职责。",
            state="deliberation",
            created_by=chair,
        )
        subject = SubjectOfficer.objects.create(
            case=case, officer=Officer.objects.filter(unit=unit).first()
        )
        top = catalog_for_version(version).clauses[0].ref
        ClauseClaim.objects.create(
            case=case, subject_officer=subject, clause_ref=top, claimed_by=chair
        )
        for key in FACT_KEYS[:6]:
            FactRecord.objects.create(
                case=case,
                stage="deliberation",
                fact_key=key,
                value=key != "fault_established",
                recorded_by=chair,
            )
    return case_detail(case.pk)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _time(function, runs: int) -> list[float]:
    for _ in range(WARMUP):
        function()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--reseed", action="store_true", help="drop the database and seed again")
    args = parser.parse_args()
    _ensure_database()
    _setup()
    if args.reseed:
        _reset()
    if _seeded_count() < args.cases:
        if _seeded_count():
            _reset()
        print(f"seeding {args.cases} decided cases into {DATABASE} ...", flush=True)
        started = time.perf_counter()
        _seed(args.cases)
        print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from accounts.roles import Role
    from deliberation.models import PrecedentClause, PrecedentSignature
    from deliberation.precedents import precedent_departure, precedents_for_officer, query_for

    case = _deliberating_case()
    subject = case.subject_officers.all()[0]
    leader = _user("leader", case.unit, Role.LEADERSHIP_MEMBER)
    leader = User.objects.get(pk=leader.pk)
    query = query_for(case, subject)
    (top,) = sorted(query.clauses)[:1]
    candidates = PrecedentClause.objects.filter(
        regulation_id=query.regulation_id, clause_ref=top
    ).count()

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    with CaptureQueriesContext(connection) as captured:
        shown = precedents_for_officer(leader, case, subject)
    queries = len(captured)
    lines = [
        "Similar decided cases: deliberation.precedents on PostgreSQL (DEBUG off)",
        f"date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"python: {platform.python_version()}, PostgreSQL {server}",
        f"machine: {platform.machine()}, {_cpu_model()}, nproc {len(os.sched_getaffinity(0))}, "
        f"load average at start {os.getloadavg()[0]:.2f} "
        "(shared machine: eight engineers' tests and builds run beside it)",
        f"data: {PrecedentSignature.objects.count()} precedent signatures (decided cases), "
        f"{PrecedentClause.objects.count()} clause rows; the query's clauses {sorted(query.clauses)}, "
        f"{len(query.facts)} facts; {candidates} decided cases cite {top}",
        f"runs: {args.runs} after {WARMUP} warm-ups; target median <= {TARGET_MS} ms",
        "",
    ]
    scenarios = [
        (
            "meeting page panel (one officer)",
            lambda: precedents_for_officer(leader, case, subject),
            queries,
        ),
        ("departure check of a proposal", lambda: precedent_departure(query, "liable"), None),
    ]
    worst = 0.0
    for label, function, count in scenarios:
        samples = _time(function, args.runs)
        median = statistics.median(samples)
        p95 = statistics.quantiles(samples, n=20)[-1]
        worst = max(worst, median)
        extra = f"   {count} queries" if count is not None else ""
        lines.append(f"{label:<34} median {median:6.1f} ms   p95 {p95:6.1f} ms{extra}")
        print(lines[-1], flush=True)
    lines += [
        f"shown: {len(shown.rows)} precedents (best similarity {shown.rows[0].similarity if shown.rows else 0}%), "
        f"spread over {len(shown.spread)} clauses",
        "",
        f"worst median {worst:.1f} ms ({'meets' if worst <= TARGET_MS else 'MISSES'} the "
        f"{TARGET_MS} ms target); load average at end {os.getloadavg()[0]:.2f}",
    ]
    report = "\n".join(lines)
    print()
    print(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
