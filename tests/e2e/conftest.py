"""Browser tests: Playwright drives Debian's Chromium against pytest-django's
live server. It is the headless shell (/usr/bin/chromium-headless-shell: the
same Blink without the full browser's windowing layers; it took the browser
step from 431 to 306 s on this machine) or, where that is not installed, the
full browser (/usr/bin/chromium); JINZHI_CHROMIUM names another binary.
Screenshots go to test-artifacts/screenshots/ so that a person can look at
them."""

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = (
    os.environ.get("JINZHI_CHROMIUM")
    or shutil.which("chromium-headless-shell")
    or shutil.which("chromium")
    or "/usr/bin/chromium"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# the tests make there are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session", autouse=True)
def _database_emptied_once(django_db_setup, django_db_blocker):
    """CI reuses for the browser tests the databases the suite has just made
    (.ci/run: no second round of migrations); each worker's first browser
    test starts from an empty database, as every later one does (a
    transactional test empties the database after itself)."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _catalogues_loaded(catalogs):
    """Transactional tests flush the database: reload the catalogues."""


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Kept on the item so fixtures can save what the browser showed on failure.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def save_on_failure(request, pages) -> None:
    report = getattr(request.node, "report_call", None)
    if report is None or not report.failed:
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for index, page in enumerate(pages):
        page.screenshot(
            path=str(SCREENSHOTS / f"FAILED-{request.node.name}-{index}.png"), full_page=True
        )


# The longest browser tests (--durations: the accessibility walk alone is a
# third of the browser step's work), started first so that with xdist the
# other worker takes the short ones meanwhile, instead of one worker running
# a long test alone at the end.
LONGEST_FIRST = (
    "test_axe_walk.py::test_every_page_passes_axe_and_fits_a_phone",
    "test_english_walk.py::test_every_page_of_every_role_reads_in_english",
    "test_overview.py::test_the_chair_reads_the_overview_in_chinese_and_english",
    "test_journey_review.py::test_the_review_stages_end_in_a_decision_taken_through_htmx_votes",
    "test_routing_journey.py::test_each_hand_off_reaches_the_next_person",
    "test_workflow_journeys.py::test_a_disputed_taian_case_through_every_stage",
)


def _longest_first_rank(item) -> int:
    for rank, name in enumerate(LONGEST_FIRST):
        if item.nodeid.endswith(name):
            return rank
    return len(LONGEST_FIRST)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
    items.sort(key=_longest_first_rank)  # stable: every other test keeps its place


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (scripts/bootstrap.sh --with-browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    accept_confirmations(page)
    yield page
    context.close()


@pytest.fixture
def screenshot_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def screenshot(page, screenshot_dir):

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def log_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def accept_confirmations(page) -> None:
    """The person accepts every confirmation dialog (static/js/confirm.js:
    irreversible moves name their consequence); `page.confirmations` keeps
    the messages, in order, for the test to read."""
    page.confirmations = []

    def accept(dialog):
        page.confirmations.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)


def session_cookie(user, base_url: str) -> dict:
    """A browser cookie of a session logged in as `user`, made on the server
    as Django's test client does: a journey's hand-offs open a session per
    person, and the login form (its own tests: test_intake_slice.py, and the
    walks, which log in through it) would cost three page loads each."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
    }


@pytest.fixture
def as_user(browser, live_server, request):
    """Open a fresh browser session (downloads allowed) logged in as a user
    (a User, or the username of a demo account), on the page they land on,
    as after logging in. What the pages showed is saved if the test fails."""
    from playwright.sync_api import expect

    from accounts.models import User

    contexts, pages = [], []

    def open_as(user):
        if isinstance(user, str):
            user = User.objects.get(username=user)
        context = browser.new_context(
            base_url=live_server.url,
            locale="zh-CN",
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        context.add_cookies([session_cookie(user, live_server.url)])
        contexts.append(context)
        page = context.new_page()
        pages.append(page)
        accept_confirmations(page)
        # Where the login form sends a person (LOGIN_REDIRECT_URL).
        page.goto("/")
        expect(page.get_by_test_id("current-user")).to_contain_text(user.get_full_name())
        return page

    yield open_as
    save_on_failure(request, pages)
    for context in contexts:
        context.close()
