import copy
import fcntl
import functools
import hashlib
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from accounts.roles import Role
from config.celery import app as celery_app
from documents.rendering import html_to_pdf as real_html_to_pdf
from tests.embedded_default import embedded_default_modules
from tests.factories import OfficerFactory, UnitFactory, UserFactory

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def pytest_addoption(parser):
    parser.addoption(
        "--embedded-default",
        action="store_true",
        help="Only the tests CI runs again on the embedded default, SQLite, after "
        "the whole suite on PostgreSQL (tests/embedded_default.py).",
    )


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--embedded-default"):
        return
    modules = embedded_default_modules()
    kept, left_out = [], []
    for item in items:
        path = Path(str(item.path)).relative_to(ROOT).as_posix()
        (kept if path in modules else left_out).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On PostgreSQL the test connections commit without waiting for the WAL
    to reach the disk (synchronous_commit=off): nothing a test can see
    changes (a commit is as visible and as ordered as before; only a crash of
    the server could lose the last ones), and the browser and worker tests,
    which commit for real, stop waiting a disk flush on every commit."""
    from django.db import connections

    for alias in connections:
        settings_dict = connections[alias].settings_dict
        if settings_dict["ENGINE"] == "django.db.backends.postgresql":
            options = settings_dict.setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


def _template_made_once(connection, template: str, verbosity: int) -> None:
    """Make the template: the migrated database with the catalogues."""
    from django.conf import settings

    from exemptions.services import catalogs_load_all

    settings_dict = connection.settings_dict
    name, test_name = settings_dict["NAME"], settings_dict["TEST"].get("NAME")
    settings_dict["TEST"]["NAME"] = template
    try:
        connection.creation.create_test_db(verbosity=verbosity, autoclobber=True, serialize=False)
        catalogs_load_all()
    finally:
        connection.close()
        settings_dict["NAME"] = settings.DATABASES[connection.alias]["NAME"] = name
        settings_dict["TEST"]["NAME"] = test_name


@contextmanager
def _template_lock(template: str, connection, verbosity: int):
    """Hold the template's file lock, the template made first unless this
    run has made it already: the first worker of the run that gets here
    makes it while the others wait, and copying under the lock keeps a copy
    from meeting a session on the template. Each run makes it again (the
    migrations may differ)."""
    lock_path = Path(tempfile.gettempdir()) / f"jinzhi-{Path(template).name}.lock"
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")
    with lock_path.open("a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        lock.seek(0)
        if not run_id or lock.read() != run_id:
            _template_made_once(connection, template, verbosity)
            lock.seek(0)
            lock.truncate()
            lock.write(run_id)
            lock.flush()
        yield


def _clone_from_template(connection, template: str, database: str, verbosity: int) -> None:
    """PostgreSQL: copy the template into `database` (CREATE DATABASE …
    TEMPLATE), under the template's lock."""
    with _template_lock(template, connection, verbosity):
        quote = connection.ops.quote_name
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(database)}")
            cursor.execute(f"CREATE DATABASE {quote(database)} TEMPLATE {quote(template)}")


# The in-memory SQLite test database lives while a connection to it is open:
# this one, for the whole test process.
_sqlite_keeper = []


def _copy_into_memory(connection, template: str, verbosity: int) -> None:
    """SQLite: copy the template file into this process's in-memory test
    database (sqlite3's backup), which Django's connection then opens."""
    import sqlite3

    with _template_lock(template, connection, verbosity):
        memory = sqlite3.connect(connection.creation._get_test_db_name(), uri=True)
        source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
        try:
            source.backup(memory)
        finally:
            source.close()
    _sqlite_keeper.append(memory)


@pytest.fixture(scope="session")
def _worker_database_cloned(request, django_db_blocker, django_db_modify_db_settings) -> bool:
    """Under xdist with a database made afresh, the migrations run once per
    run (into a template) and each worker's test database is a copy, instead
    of every worker migrating its own: on PostgreSQL a database made with
    CREATE DATABASE … TEMPLATE, on SQLite (in memory, always fresh) the
    template file copied into memory. pytest-django then uses the copy as an
    existing database."""
    from django.db import connection

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return False
    creation = connection.creation
    verbosity = request.config.option.verbose
    if connection.vendor == "postgresql" and request.config.getvalue("create_db"):
        database = connection.settings_dict["TEST"]["NAME"]
        template = f"{database.removesuffix(f'_{worker}')}_template"
        with django_db_blocker.unblock():
            _clone_from_template(connection, template, database, verbosity)
        return True
    if connection.vendor == "sqlite" and creation.is_in_memory_db(creation._get_test_db_name()):
        # One file per checkout, so that two checkouts' runs do not meet.
        checkout = hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]
        template = str(Path(tempfile.gettempdir()) / f"jinzhi-{checkout}-template.sqlite3")
        with django_db_blocker.unblock():
            _copy_into_memory(connection, template, verbosity)
        return True
    return False


@pytest.fixture(scope="session")
def django_db_createdb(request, _worker_database_cloned) -> bool:
    return request.config.getvalue("create_db") and not _worker_database_cloned


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, _worker_database_cloned):
    """Load the catalogues once into the test database, outside any test's
    transaction, so that tests do not each load them again (a copy of the
    template has them already)."""
    from exemptions.services import catalogs_load_all

    if _worker_database_cloned:
        return
    with django_db_blocker.unblock():
        catalogs_load_all()


def settings_for_tests(folder: Path) -> dict:
    """The settings every test runs with, its files under `folder`."""
    return {
        "MEDIA_ROOT": folder / "media",
        # Password hashing is deliberately slow; tests create many users.
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "AUDIT_ANCHOR_FILE": folder / "audit-anchors.jsonl",
        # No deadline scan behind a request's back
        # (tests/cases/test_deadline_scan_on_request.py turns it on), so that
        # a test sees only the notifications it makes.
        "DEADLINE_SCAN_ON_REQUEST_MINUTES": 0,
        # Unsigned unless a test configures keys (tests/documents/signing.py):
        # the demo PKI a developer made under var/pki must not change other tests.
        "JINZHI_SIGNING_DIR": "",
        "JINZHI_TRUST_ANCHORS": [],
    }


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    for name, value in settings_for_tests(tmp_path).items():
        setattr(settings, name, value)


@contextmanager
def data_for_the_module(django_db_blocker, folder: Path, build, *, real_pdf: bool = False):
    """What `build()` makes, once for a module's tests (in each test
    process), as a Django TestCase's setUpTestData does: inside a transaction
    rolled back after the module's last test, each test running in a
    savepoint within it, so a test's changes to the database go with it.
    `build` runs as a test would (its settings, eager tasks, blank PDFs unless
    `real_pdf`), its files under `folder`, which the tests must then use as
    their MEDIA_ROOT. Not for transactional tests."""
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock(), transaction.atomic():
        with (
            override_settings(**settings_for_tests(folder)),
            pytest.MonkeyPatch.context() as patch,
        ):
            patch.setitem(celery_app.conf, "task_always_eager", True)
            if not real_pdf:
                _render_blank_pdfs(patch)
            data = build()
        yield data
        transaction.set_rollback(True)


def built_once_per_module(build, *, real_pdf: bool = False):
    """A module-scoped fixture giving `(data, folder)`: what `build()` makes,
    made once per module in each test process (data_for_the_module). The
    module's own function-scoped fixture hands each test `for_one_test(...)`
    of it. Setting up a case that has gone through the stages takes about a
    second; a module whose tests each start from the same case shares one."""

    @pytest.fixture(scope="module")
    def built(django_db_setup, django_db_blocker, tmp_path_factory):
        folder = tmp_path_factory.mktemp("module-data")
        with data_for_the_module(django_db_blocker, folder, build, real_pdf=real_pdf) as data:
            yield data, folder

    return built


def for_one_test(built, settings, key=None):
    """A test's copy of a module's data (built_once_per_module), its files
    read from the module's folder: the test may change the copy (a Flow's
    case, its lists) as it changes the database, and the next test starts
    from the data as built, as it does from the database as built. With
    `key`, the copy of that entry of the data alone (a Flow drags some two
    thousand objects into its copy)."""
    data, folder = built
    settings.MEDIA_ROOT = folder / "media"
    return copy.deepcopy(data if key is None else data[key])


@pytest.fixture(autouse=True)
def _eager_tasks():
    """Tasks run in-process unless a test starts a real worker; so the suite
    passes with or without REDIS_URL, and worker tests opt out explicitly."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


# Tests under these folders render documents for real, as do the tests marked
# real_pdf, worker or e2e; every other test gets a blank one-page PDF at once.
REAL_PDF_FOLDERS = ("documents", "e2e")


@functools.cache
def _blank_pdf():
    return real_html_to_pdf("<p></p>")


def _stub_html_to_pdf(html: str, archival=None):
    return _blank_pdf()


def _render_blank_pdfs(patch: pytest.MonkeyPatch) -> None:
    """Every PDF rendered, through `patch`, is the blank one-page PDF."""
    from documents import rendering, services

    patch.setattr(rendering, "html_to_pdf", _stub_html_to_pdf)
    patch.setattr(services, "html_to_pdf", _stub_html_to_pdf)


@pytest.fixture(autouse=True)
def _stub_pdf_rendering(request, monkeypatch):
    """WeasyPrint takes most of the time of a test that moves a case through
    the workflow (every move requests documents); tests that do not look at
    the PDF get a real but blank one-page PDF instead."""
    node = request.node
    if os.environ.get("JINZHI_TEST_REAL_PDF"):
        return  # render every PDF for real (to compare, or to debug)
    if any(node.get_closest_marker(name) for name in ("real_pdf", "worker", "e2e")):
        return
    folder = Path(str(node.path)).relative_to(TESTS).parts[0]
    if folder in REAL_PDF_FOLDERS:
        return
    _render_blank_pdfs(monkeypatch)


def _admin_role_client(role):
    from django.test import Client

    client = Client()
    client.force_login(UserFactory(roles=[role], is_staff=True, display_name=str(role.label)))
    return client


@pytest.fixture
def system_admin_client(db):
    """A logged-in system administrator (三员分立; not a superuser)."""
    return _admin_role_client(Role.ADMINISTRATOR)


@pytest.fixture
def security_admin_client(db):
    return _admin_role_client(Role.SECURITY_ADMINISTRATOR)


@pytest.fixture
def audit_admin_client(db):
    return _admin_role_client(Role.AUDIT_ADMINISTRATOR)


@pytest.fixture
def catalogs(db):
    """Both catalogues loaded (once per database; transactional tests reload)."""
    from tests.factories import current_regulation

    return {code: current_regulation(code) for code in ("taian", "lianyungang")}


@pytest.fixture
def unit(db, catalogs):
    return UnitFactory(name="泰安市市场监督管理局", abbreviation="泰市监")


@pytest.fixture
def other_unit(db):
    return UnitFactory(
        name="连云港市市场监督管理局", abbreviation="连市监", jurisdiction="lianyungang"
    )


@pytest.fixture
def inspector(unit):
    return UserFactory(
        username="inspector", display_name="王承办", units=[unit], roles=[Role.INSPECTOR]
    )


@pytest.fixture
def other_inspector(other_unit):
    return UserFactory(
        username="other", display_name="陈承办", units=[other_unit], roles=[Role.INSPECTOR]
    )


@pytest.fixture
def officers(unit):
    return [
        OfficerFactory(name="张执法", certificate_number="37090011", unit=unit),
        OfficerFactory(name="刘执法", certificate_number="37090012", unit=unit),
    ]
