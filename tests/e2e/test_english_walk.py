"""Every page of the roles the accessibility walk does not take, in English:
no Han character outside case data and regulation text (tests/e2e/english.py
says what counts as such). The demo roles' pages, and the pages a visitor
sees, are checked in English by that walk (tests/e2e/walk.py) as it goes.

One visit per page shape (the path with its numbers as N) for each role,
found by following links from the home page, on the demo data.
"""

from urllib.parse import urldefrag, urlsplit

import pytest

from accounts.demo import DEMO_PASSWORD
from tests.e2e import english, walk
from tests.e2e.test_axe_walk import _seed_demo

pytestmark = pytest.mark.django_db(transaction=True)

# The roles the accessibility walk does not take (it checks its own pages in
# English as it goes: tests/e2e/walk.py); anonymous pages are walked there too.
ROLES = ("ta_expert", "lyg_inspector", "ta_auditor", "ta_secadmin")
CASE_PAGES_PER_ROLE = 3  # cases in different stages show different panels


def _key(who: str, path: str) -> str:
    """What a visit checks once: a case page per role, any other kind once."""
    form = walk.shape(urlsplit(path).path)
    return f"{who} {path}" if form == walk.PER_CASE else form


def _visit_role(context, checked: set, stored: list[str], problems: list[str], who: str) -> int:
    """Check the role's pages not checked yet, in the browser; a page whose
    kind is checked already is only read over HTTP for its links (as the
    accessibility walk does: tests/e2e/walk.py)."""
    page = context.new_page()
    queue, seen, per_shape, visits = ["/"], {"/"}, {}, 0
    while queue:
        path = queue.pop(0)
        in_browser = _key(who, path) not in checked
        visited = walk.page_links(page, path, in_browser)
        if visited is None:
            continue
        here, links = visited
        if in_browser:
            # The kind of the page it landed on (a redirect may change it).
            form = walk.shape(urlsplit(here).path)
            key = f"{who} {path}" if form == walk.PER_CASE else form
            if key not in checked:
                checked.add(key)
                visits += 1
                for chunk in english.page_problems(page, stored):
                    problems.append(f"{who} {path}: {chunk[:80]!r}")
        for href in links:
            url = urlsplit(urldefrag(href)[0])
            if url.netloc != urlsplit(here).netloc or walk.SKIPPED_PATH.search(url.path):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            link_form = walk.shape(url.path)
            limit = CASE_PAGES_PER_ROLE if link_form == walk.PER_CASE else 1
            if target in seen or per_shape.get(link_form, 0) >= limit:
                continue
            if (
                link_form != walk.PER_CASE
                and link_form in checked
                and link_form not in walk.PER_ROLE
            ):
                continue  # another role has shown this page type already
            seen.add(target)
            per_shape[link_form] = per_shape.get(link_form, 0) + 1
            queue.append(target)
    page.close()
    return visits


def test_every_page_of_every_role_reads_in_english(browser, live_server):
    _seed_demo()
    stored = english.stored_texts()
    host = urlsplit(live_server.url).hostname
    checked, problems, visits = set(), [], 0
    for username in ROLES:
        state = walk.logged_in_state(browser, live_server.url, username, DEMO_PASSWORD)
        context = browser.new_context(base_url=live_server.url, storage_state=state)
        context.add_cookies(
            [{"name": "django_language", "value": "en", "domain": host, "path": "/"}]
        )
        context.set_default_timeout(20_000)
        try:
            visits += _visit_role(context, checked, stored, problems, username)
        finally:
            context.close()
    assert visits >= 30
    assert problems == [], f"{len(problems)} texts not in English:\n" + "\n".join(problems)


def test_the_check_leaves_case_data_and_finds_interface_text():
    """Stored texts (a case number, a name) are case data; what remains in
    Chinese is interface text that missed the translation."""
    stored = ["泰市监〔2026〕1号", "张执法"]
    chunks = ["Case 泰市监〔2026〕1号", "Handled by 张执法", "Submitted 提交", "No Han"]
    assert english.untranslated(chunks, stored) == ["Submitted 提交"]
