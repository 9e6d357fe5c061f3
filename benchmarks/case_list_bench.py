"""Time the case list on PostgreSQL with 100,000 cases.

    python benchmarks/case_list_bench.py [--runs 60] [--cases 100000] [--reseed]

Creates (or reuses) the database `jinzhi_bench` on the local PostgreSQL
(postgres://postgres@127.0.0.1:5432, or BENCH_DATABASE_URL), migrates it,
loads the catalogues and, unless it already holds them, seeds the cases in
bulk: two city bureaus with their county bureaus, officers, stage deadlines,
and meetings with adopted determinations for the decided cases (no audit
events: nobody acted on these rows). Then it requests the case list through
Django's test client, production settings (DEBUG off, cached templates), as a
leadership member of the Tai'an city bureau (who sees the city and its county
bureaus) and as a county inspector: the first page and a filtered, sorted
page, plus a few other sorts, a search and my tasks. Prints the median and
p95 of each and writes them to benchmarks/results/case_list.txt. Target
(issues 6 and 18): under 150 ms median for the list and the full-text search.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "benchmarks" / "results" / "case_list.txt"
SERVER = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
DATABASE = os.environ.get("BENCH_DATABASE", "jinzhi_bench")
PREFIX = "bench"  # usernames and unit abbreviations of the seeded data
TARGET_MS = 150
WARMUP = 5


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
            # Production scans deadlines in celery beat, not before a request;
            # without Redis the request-time scan would notify every overdue
            # seeded case on the first request (half an hour at 100k cases)
            # and rescan every ten minutes in the middle of the timing.
            "DEADLINE_SCAN_ON_REQUEST_MINUTES": "0",
        }
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # Production serves hashed static names from collectstatic's manifest; the
    # bench renders pages without having run it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    call_command("migrate", verbosity=0)
    call_command("load_catalogs", verbosity=0)


# --- seeding --------------------------------------------------------------------

STATE_WEIGHTS = {
    "draft": 4,
    "registered": 4,
    "investigating": 14,
    "expert_review": 4,
    "deliberation": 4,
    "decided": 4,
    "filed": 4,
    "published": 4,
    "closed": 53,
    "withdrawn": 5,
}
DECIDED_STATES = {"decided", "filed", "published", "closed"}
OPEN_STATES = set(STATE_WEIGHTS) - {"closed", "withdrawn"}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国建华志强海燕晓东"
OUTCOMES = ["exempt", "no_fault", "mitigated", "liable", "transferred"]
# Narratives: most alike, one in fifty about a forged report, so that the
# full-text search scenarios find a realistic few among 100,000.
SUMMARIES = [
    "群众举报某经营者违法经营，执法人员检查时未发现。",
    "某超市销售过期食品被投诉，执法人员日常巡查未予制止。",
    "药店未凭处方销售处方药，执法人员抽查时未能发现。",
]
FORGED = "经营者伪造检验报告骗取许可，执法人员审查时未发现材料系伪造。"
# The other texts the search reads: an investigation report for every case
# past intake (a few hundred characters, as real findings run), and notes on
# some facts; the forged-report cases' reports say so too.
FINDINGS = (
    "经调查，涉案经营者于案发前已取得相关许可，执法人员按照年度抽查计划开展了现场检查，"
    "检查记录、询问笔录和现场照片齐全。执法人员对经营场所、进货查验记录、台账进行了核对，"
    "未发现明显异常。群众举报后复查时发现问题，执法人员当即责令整改并立案调查。"
    "根据监督检查职责清单和现场检查规范，执法人员已按规定程序履职，所取证据能够相互印证。"
)
FORGED_FINDINGS = "另查明，经营者提交的检验报告系伪造，其印章与检验机构备案印章不一致。"
CONCLUSIONS = [
    "执法人员已依法履行监督检查职责，建议不予追责。",
    "执法人员履职存在瑕疵，但符合从轻处理情形，建议从轻处理。",
    "执法人员未按规定履行职责，建议依规追责。",
]
NOTES = ["见现场检查记录第三页", "询问笔录与监控录像一致", "当事人对该事实无异议", ""]
NOTED_FACTS = ["fault_established", "followed_procedure", "reasonable_judgement"]
REPORTED_STATES = {"expert_review", "deliberation"} | DECIDED_STATES


def _units():
    """Tai'an city bureau with 11 county bureaus, Lianyungang with 7."""
    from accounts.models import DisciplineBody, Unit

    made = {}
    for city, abbreviation, jurisdiction, counties in (
        ("泰安", "泰", "taian", 11),
        ("连云港", "连", "lianyungang", 7),
    ):
        body, _ = DisciplineBody.objects.get_or_create(
            name=f"{PREFIX}{city}市纪委监委派驻纪检监察组"
        )
        parent, _ = Unit.objects.get_or_create(
            abbreviation=f"{PREFIX}{abbreviation}市监",
            defaults={
                "name": f"{PREFIX}{city}市市场监督管理局",
                "kind": Unit.Kind.MUNICIPAL_BUREAU,
                "level": Unit.Level.MUNICIPAL,
                "jurisdiction": jurisdiction,
                "discipline_body": body,
            },
        )
        children = []
        for i in range(1, counties + 1):
            county_body, _ = DisciplineBody.objects.get_or_create(
                name=f"{PREFIX}{city}第{i}县纪委监委派驻纪检监察组"
            )
            county, _ = Unit.objects.get_or_create(
                abbreviation=f"{PREFIX}{abbreviation}{i}县市监",
                defaults={
                    "name": f"{PREFIX}{city}市第{i}县市场监督管理局",
                    "kind": Unit.Kind.COUNTY_BUREAU,
                    "level": Unit.Level.COUNTY,
                    "parent": parent,
                    "jurisdiction": jurisdiction,
                    "discipline_body": county_body,
                },
            )
            children.append(county)
        made[jurisdiction] = (parent, children)
    return made


def _user(username: str, name: str, unit, role: str):
    from django.contrib.auth.models import Group

    from accounts.models import User

    user, created = User.objects.get_or_create(
        username=f"{PREFIX}_{username}", defaults={"display_name": name}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.units.add(unit)
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def _seed(total: int) -> None:
    from django.db import connection, transaction

    from accounts.models import Officer
    from accounts.roles import Role
    from cases.models import Case, CaseNumberCounter, FactRecord, SubjectOfficer
    from deliberation.models import Determination, Meeting
    from exemptions.models import RegulationVersion
    from investigation.models import InvestigationReport

    rng = random.Random(2026)  # noqa: S311 (test data, not secrets)
    now = datetime.datetime.now(datetime.UTC)
    units = _units()
    all_units = [u for parent, children in units.values() for u in (parent, *children)]
    regulation = {
        code: RegulationVersion.objects.get(is_current=True, regulation__jurisdiction_code=code)
        for code in units
    }
    people, officers = {}, {}
    for index, unit in enumerate(all_units):
        people[unit.pk] = {
            "inspector": _user(f"inspector{index}", f"承办{index}", unit, Role.INSPECTOR),
            "investigator": _user(f"investigator{index}", f"调查{index}", unit, Role.INVESTIGATOR),
            "chair": _user(f"chair{index}", f"局长{index}", unit, Role.LEADERSHIP_CHAIR),
        }
        officers[unit.pk] = list(Officer.objects.filter(unit=unit))
        if not officers[unit.pk]:
            officers[unit.pk] = Officer.objects.bulk_create(
                Officer(
                    name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2)),
                    certificate_number=f"{PREFIX}{unit.pk:03d}{i:04d}",
                    unit=unit,
                    post="执法人员",
                )
                for i in range(25)
            )
    _user("leader", "孙副局长", units["taian"][0], Role.LEADERSHIP_MEMBER)

    # Real case rows carry the time they were made; seeded ones are spread
    # over three years, so auto_now_add is lifted while they are written.
    stamped = [Case._meta.get_field(name) for name in ("created_at", "state_entered_at")]
    for field in stamped:
        field.auto_now_add = False
    days = {"draft": 10, "registered": 10, "investigating": 60, "expert_review": 30}
    days.update({"deliberation": 30, "decided": 15, "filed": 30, "published": 15})
    states, weights = zip(*STATE_WEIGHTS.items(), strict=True)
    sequences: dict[tuple[int, int], int] = {}
    batch = 5000
    try:
        for start in range(0, total, batch):
            cases = []
            for _ in range(min(batch, total - start)):
                unit = rng.choice(all_units)
                state = rng.choices(states, weights)[0]
                staff = people[unit.pk]
                if state in OPEN_STATES:
                    created = now - datetime.timedelta(days=rng.uniform(0, 200))
                else:
                    created = now - datetime.timedelta(days=rng.uniform(30, 1100))
                entered = created + (now - created) * rng.uniform(0, 1)
                deadline = entered + datetime.timedelta(days=days[state]) if state in days else None
                year = created.year
                numbered = state != "draft"
                sequence = None
                if numbered:
                    sequence = sequences.get((unit.pk, year), 0) + 1
                    sequences[(unit.pk, year)] = sequence
                cases.append(
                    Case(
                        unit=unit,
                        year=year if numbered else None,
                        sequence=sequence,
                        number=f"{unit.abbreviation}〔{year}〕{sequence}号" if numbered else None,
                        regulation=regulation[unit.jurisdiction],
                        incident_summary=(FORGED if rng.random() < 0.02 else rng.choice(SUMMARIES)),
                        incident_date=created.date(),
                        incident_place="城区",
                        field=rng.choice(["food", "drugs", "pricing", "advertising", "other"]),
                        activity_kind="inspection",
                        lead_source=rng.choice(["complaint", "found_in_inspection"]),
                        allegation="执法人员涉嫌未履行监督检查职责。",
                        state=state,
                        state_entered_at=entered,
                        deadline_at=deadline,
                        lead_investigator=(
                            staff["investigator"]
                            if state not in ("draft", "registered") and rng.random() < 0.9
                            else None
                        ),
                        created_by=staff["inspector"],
                        created_at=created,
                    )
                )
            with transaction.atomic():
                Case.objects.bulk_create(cases)
                subjects = []
                for case in cases:
                    chosen = rng.sample(officers[case.unit_id], rng.choice((1, 1, 2, 3)))
                    parts = ("handler", "reviewer", "approver")
                    subjects += [
                        SubjectOfficer(case=case, officer=officer, part=parts[i])
                        for i, officer in enumerate(chosen)
                    ]
                SubjectOfficer.objects.bulk_create(subjects)
                decided = [case for case in cases if case.state in DECIDED_STATES]
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
                        convened_by=people[case.unit_id]["chair"],
                        closed_by=people[case.unit_id]["chair"],
                        closed_at=case.state_entered_at,
                    )
                    for case in decided
                )
                by_case = {meeting.case_id: meeting for meeting in meetings}
                determinations = []
                for subject in subjects:
                    meeting = by_case.get(subject.case_id)
                    if meeting is None:
                        continue
                    outcome = rng.choice(OUTCOMES)
                    determinations.append(
                        Determination(
                            case_id=subject.case_id,
                            subject_officer=subject,
                            meeting=meeting,
                            regulation_id=subject.case.regulation_id,
                            outcome=outcome,
                            engine_outcome=outcome,
                            reasons="经集体研究认定。",
                            status=Determination.Status.ADOPTED,
                            proposed_by=meeting.convened_by,
                            decided_at=meeting.closed_at,
                        )
                    )
                Determination.objects.bulk_create(determinations)
                reported = [
                    case
                    for case in cases
                    if case.state in REPORTED_STATES
                    or (case.state == "investigating" and rng.random() < 0.5)
                ]
                InvestigationReport.objects.bulk_create(
                    InvestigationReport(
                        case=case,
                        findings_summary=FINDINGS
                        + (FORGED_FINDINGS if case.incident_summary == FORGED else ""),
                        conclusion=rng.choice(CONCLUSIONS),
                        updated_by=case.lead_investigator or case.created_by,
                    )
                    for case in reported
                )
                FactRecord.objects.bulk_create(
                    FactRecord(
                        case=case,
                        stage="investigation",
                        fact_key=key,
                        value=rng.random() < 0.7,
                        note=rng.choice(NOTES),
                        recorded_by=case.lead_investigator or case.created_by,
                    )
                    for case in reported
                    for key in NOTED_FACTS
                )
            print(f"  seeded {start + len(cases)} cases", flush=True)
    finally:
        for field in stamped:
            field.auto_now_add = True
    for (unit_id, year), last in sequences.items():
        CaseNumberCounter.objects.update_or_create(
            unit_id=unit_id, year=year, defaults={"last_sequence": last}
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _seeded_count() -> int:
    """The seeded cases; 0 for a database seeded before the reports and the
    fact notes were (the search reads them), so that it is seeded again."""
    from cases.models import Case
    from investigation.models import InvestigationReport

    seeded = Case.objects.filter(unit__abbreviation__startswith=PREFIX)
    if not InvestigationReport.objects.filter(case__unit__abbreviation__startswith=PREFIX).exists():
        return 0
    return seeded.count()


def _reset() -> None:
    """Drop and recreate the database (its data is only ever the bench's)."""
    import psycopg
    from django.db import connection

    connection.close()
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{DATABASE}"')
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_catalogs", verbosity=0)


# --- timing ---------------------------------------------------------------------


def _client_for(username: str):
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=f"{PREFIX}_{username}"))
    return client


def _time(client, url: str, params: dict, runs: int) -> tuple[list[float], int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP):
        response = client.get(url, params, secure=True)
        assert response.status_code == 200, (url, params, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params, secure=True)
    queries = len(captured)  # now: the next request resets the connection's log
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url, params, secure=True)
        samples.append((time.perf_counter() - start) * 1000)
    return samples, queries, response


def _rows(content: str) -> int:
    """The number of cases the page says it lists (or the tasks it shows)."""
    found = re.search(r"共 (\d+) 件案件", content)
    return int(found.group(1)) if found else content.count('data-testid="task-')


def _summary(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples), statistics.quantiles(samples, n=20)[-1]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


SCENARIOS = [
    # (label, user, url name, params, counts towards the target)
    ("leadership, first page", "leader", "cases:list", {}, True),
    (
        "leadership, filtered + sorted",
        "leader",
        "cases:list",
        {"state": "investigating", "field": "food", "deadline": "overdue", "sort": "-deadline"},
        True,
    ),
    ("inspector, first page", "inspector1", "cases:list", {}, True),
    (
        "inspector, filtered + sorted",
        "inspector1",
        "cases:list",
        {"outcome": "exempt", "sort": "-changed", "page": "2"},
        True,
    ),
    # An investigator reads through several reader arms (cases.readers: the
    # lead, the team, the unit's cases without a team): their OR.
    ("investigator, first page", "investigator1", "cases:list", {}, False),
    (
        "investigator, filtered + sorted",
        "investigator1",
        "cases:list",
        {"state": "investigating", "sort": "deadline"},
        False,
    ),
    ("leadership, sorted by stage", "leader", "cases:list", {"sort": "stage"}, False),
    ("leadership, sorted by unit", "leader", "cases:list", {"sort": "-unit"}, False),
    ("leadership, sorted by number", "leader", "cases:list", {"sort": "-number"}, False),
    ("leadership, search officer name", "leader", "cases:list", {"q": "王"}, False),
    # Full-text search (issue 18): a two-character word (no trigram: a scan
    # of the visible cases) and a longer phrase (the trigram indexes).
    ("leadership, search narrative word", "leader", "cases:list", {"q": "伪造"}, True),
    ("leadership, search phrase", "leader", "cases:list", {"q": "伪造检验报告"}, True),
    ("leadership, page 200", "leader", "cases:list", {"page": "200"}, False),
    ("inspector, my tasks", "inspector1", "cases:tasks", {}, False),
]


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
        from cases.models import Case

        if Case.objects.exists():
            _reset()
        print(f"seeding {args.cases} cases into {DATABASE} ...", flush=True)
        started = time.perf_counter()
        _seed(args.cases)
        print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)

    from django.db import connection
    from django.urls import reverse

    from cases.models import Case, FactRecord, SubjectOfficer
    from deliberation.models import Determination
    from investigation.models import InvestigationReport

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    lines = [
        "Case list: one request through Django's test client (DEBUG off, PostgreSQL)",
        f"date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"python: {platform.python_version()}, PostgreSQL {server}",
        f"machine: {platform.machine()}, {_cpu_model()}, nproc {len(os.sched_getaffinity(0))}, "
        f"load average at start {os.getloadavg()[0]:.2f}",
        f"data: {Case.objects.count()} cases, {SubjectOfficer.objects.count()} subject officers, "
        f"{Determination.objects.count()} determinations, "
        f"{InvestigationReport.objects.count()} investigation reports, "
        f"{FactRecord.objects.exclude(note='').count()} fact notes",
        f"runs: {args.runs} per scenario after {WARMUP} warm-up requests; target median < {TARGET_MS} ms",
        "",
    ]
    clients = {}
    worst = 0.0
    for label, username, url_name, params, counted in SCENARIOS:
        client = clients.setdefault(username, _client_for(username))
        samples, queries, response = _time(client, reverse(url_name), params, args.runs)
        median, p95 = _summary(samples)
        if counted:
            worst = max(worst, median)
        rows = _rows(response.content.decode())
        query = "&".join(f"{k}={v}" for k, v in params.items()) or "-"
        lines.append(
            f"{label:<34} median {median:6.1f} ms   p95 {p95:6.1f} ms   "
            f"{queries:2d} queries   {rows:6d} rows   ({query})"
        )
        print(lines[-1], flush=True)
    lines += [
        "",
        f"list and search scenarios (first four, and the narrative searches): worst median {worst:.1f} ms "
        f"({'meets' if worst < TARGET_MS else 'MISSES'} the {TARGET_MS} ms target)",
    ]
    report = "\n".join(lines)
    print()
    print(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
