"""Which tests CI runs a second time on the embedded default (SQLite, eager
tasks) after the whole suite has run on PostgreSQL (.ci/run,
`--embedded-default`).

Most of the code asks the ORM and gets the same answer from either database,
so running every test twice (as CI did until stop 17) bought little for a
third of CI's time. What can differ is the code that takes a path of its own
on SQLite: each such source file is listed with the test modules that drive
it, and `tests/test_embedded_default.py` fails when a branch on the database
(`connection.vendor`, `as_sqlite`/`as_postgresql`) or hand-written SQL
appears in a file not listed here. Beside them run the modules that walk the embedded
default as `make run` leaves it: migrations (every test database), the demo
seeding, both regulations from intake to filing, and the commands."""

BACKEND_BRANCHES = {
    "cases/search.py": ("tests/cases/test_case_search.py", "tests/cases/test_case_list.py"),
    # The reader arms of the team and panel cases (`pk IN` on SQLite).
    "cases/id_sets.py": ("tests/cases/test_need_to_know.py",),
    # The SQL of the task badge, My tasks and its steps, compiled once per
    # database vendor and run by hand.
    "cases/selectors.py": ("tests/cases/test_routing.py", "tests/cases/test_tasks.py"),
    "overview/selectors.py": ("tests/overview/test_selectors.py", "tests/overview/test_views.py"),
    "audit/triggers.py": ("tests/audit/test_append_only.py", "tests/audit/test_verify_audit.py"),
    "audit/management/commands/flush.py": ("tests/audit/test_append_only.py",),
    # No lease heartbeat on SQLite: jobs run in the request.
    "documents/services.py": ("tests/documents/test_queuing.py", "tests/documents/test_jobs.py"),
}

WHOLE_PATH = (
    "tests/cases/test_demo_seeding.py",
    "tests/cases/test_demo_cases.py",
    "tests/cases/test_workflow_taian.py",
    "tests/cases/test_workflow_lianyungang.py",
    "tests/test_commands.py",
)


def embedded_default_modules() -> set[str]:
    """The test modules of the embedded run, as paths from the repository."""
    return {path for paths in BACKEND_BRANCHES.values() for path in paths} | set(WHOLE_PATH)
