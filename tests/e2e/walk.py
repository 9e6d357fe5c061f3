"""The accessibility walk: every page a person of each role can reach by
links, in Chinese and English at phone width (390 px) and in Chinese at
desktop width (1280 px), checked by axe-core, for sideways scrolling and
tiny text, and in English for interface text left in Chinese.

The pages are found once per role by following the links of the pages
(Chinese, desktop), and each page the walk has not checked yet is checked
right there, in the browser; a page it has (its kind, for another role) is
only read over HTTP for its links. Each page checked there is then checked
at phone width in Chinese on the spot, resized rather than loaded again (the
pages answer a resize as a load: CSS, and static/js/tables.js on the resize
event), and the same list is visited in English at phone width, in one
browser context logged in once.
axe-core runs in Chinese at desktop width and in English at phone width:
its rules look at markup, names, contrast and target sizes, which change
with the language or the width but not with both at once, and it is the
costly part of a visit. The layout checks run in all
three: sideways scrolling matters at phone width, where both languages are
checked; tiny text is checked at both widths (no style of ours depends on the
language, so English at desktop width, the fourth pair, would repeat Chinese
at desktop width). The English pass also looks for text left in Chinese
(tests/e2e/english.py) when given the database's texts. axe is put into each
page by an init script rather than a script tag per page, which took as long
as axe itself. Used by tests/e2e/test_axe_walk.py; runnable by hand against a
running server:

    .venv/bin/python -m tests.e2e.walk http://127.0.0.1:8000 [username ...]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

from tests.e2e import english

ROOT = Path(__file__).resolve().parents[2]
# Copied there by scripts/bootstrap.sh; never served to users.
AXE_PATHS = (
    ROOT / "tests" / "e2e" / "vendor" / "axe.min.js",
    ROOT / "node_modules" / "axe-core" / "axe.min.js",
)

PHONE, DESKTOP = 390, 1280
# The (language, width) pairs after discovery's (zh-hans, DESKTOP), and
# whether axe runs in each (see the module's docstring).
OTHER_PASSES = (("en", PHONE, True),)
# Chinese at phone width is checked on discovery's own page, resized.
PHONE_VIEWPORT = {"width": PHONE, "height": 844}
DESKTOP_VIEWPORT = {"width": DESKTOP, "height": 900}
# Runs in the page: resolves once the layout after a resize has been drawn
# (static/js/tables.js answers a resize in the next animation frame).
TWO_FRAMES = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
FAILING_IMPACTS = ("serious", "critical")
SMALLEST_FONT_PX = 12

# The demo accounts, one a role (the leader and the chair both, for the
# meeting page: the chair sees attendance and closing, a member votes).
DEMO_ROLES = (
    "ta_inspector",
    "ta_investigator",
    "ta_expert3",
    "ta_leader",
    "ta_chair",
    "ta_liaison",
    "ta_personnel",
    "ta_admin",
)

# Not pages: files, fragments for htmx, the admin site (Django's own), and
# whatever would end the session or change the language.
SKIPPED_PATH = re.compile(
    r"^/(admin/|accounts/logout/|i18n/)"
    r"|/download/|/documents/$|/export\.(csv|pdf)$|/notice/$|/case-file/$"
    r"|/attachments/\d+/$|/tally/\d+/$|/receipt/$|/read/$|/pdf/$"
)
# Each page type (a shape: the path with its numbers as N) is checked once
# in the walk, by the first role that reaches it; the pages that show each
# role other controls once per role too; and a case page once per case, as
# the cases are in different stages.
PER_ROLE = {
    "/",
    "/cases/",
    "/cases/tasks/",
    "/cases/N/",
    "/cases/N/deliberation/",
    "/cases/N/expert/",
    "/cases/N/report/",
    "/filings/",
    "/notifications/",
}
PER_CASE = "/cases/N/"
# Saved at phone width for a person to look at (test-artifacts/screenshots/),
# the first page of each of these shapes a role sees, in each language.
SCREENSHOT_SHAPES = {
    "/cases/": "case-list",
    "/cases/N/": "case",
    "/cases/N/deliberation/": "deliberation",
    "/cases/new/": "intake",
    "/cases/drafts/N/": "intake-draft",
    "/filings/": "liaison-inbox",
}
MAX_PAGES_PER_ROLE = 120
FOLLOWED_PER_SHAPE = 2

# Runs in the page: the links to follow.
LINKS = """
() => Array.from(document.querySelectorAll('a[href]'))
  .filter((a) => !a.hasAttribute('download'))
  .map((a) => a.href)
"""

# Runs in the page: how far it reaches past the viewport, and the visible
# text set smaller than the limit.
LAYOUT = """
(limit) => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  if (document.documentElement.scrollWidth > width + 1) {
    for (const el of document.querySelectorAll('body *')) {
      const box = el.getBoundingClientRect();
      if (box.width && box.right > width + 1) {
        let scrolled = false;
        for (let p = el.parentElement; p; p = p.parentElement) {
          const overflow = getComputedStyle(p).overflowX;
          if (overflow === 'auto' || overflow === 'scroll' || overflow === 'hidden') { scrolled = true; break; }
        }
        if (!scrolled) wide.push(`${el.tagName.toLowerCase()}.${el.className} right=${Math.round(box.right)}`);
      }
    }
  }
  const small = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    if (el.closest('.visually-hidden, .visually-hidden-focusable:not(:focus)')) continue;
    const size = parseFloat(style.fontSize);
    if (size < limit) small.push(`${size}px: ${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 30)}"`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5), small: small.slice(0, 5)};
}
"""

AXE_RUN = """
async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
  }));
}
"""


def axe_source() -> str:
    for path in AXE_PATHS:
        if path.exists():
            return path.read_text(encoding="utf-8")
    raise FileNotFoundError("axe-core is missing: run scripts/bootstrap.sh (npm ci)")


@dataclass
class Findings:
    visited: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, where: str, problem: str) -> None:
        self.problems.append(f"{where}: {problem}")


def shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


class Quota:
    """Which of the pages found are worth a visit (see PER_ROLE)."""

    def __init__(self):
        self.checked: set[str] = set()
        self.screenshots: set[str] = set()

    @staticmethod
    def _keys(role: str, path: str) -> list[str]:
        form = shape(urlsplit(path).path)
        keys = [form, path] if form == PER_CASE else [form]
        if form in PER_ROLE:
            keys.append(f"{role} {form}")
        return keys

    def wants(self, role: str, path: str) -> bool:
        """Whether the page would be admitted, without admitting it (a page
        that fails to load for this role stays open to the next)."""
        return not all(key in self.checked for key in self._keys(role, path))

    def admit(self, role: str, path: str) -> bool:
        if not self.wants(role, path):
            return False
        self.checked.update(self._keys(role, path))
        return True


def discover(page, start: Iterable[str], base_url: str, on_page=None, wanted=None) -> list[str]:
    """The pages reachable by links from `start` (up to FOLLOWED_PER_SHAPE
    of a shape, for each case), as paths, in the order found; `on_page(path)`
    is called on each while it is loaded. With `wanted(path)`, only the pages
    it wants are loaded in the browser (and given to `on_page`); the others
    are only read for their links, over HTTP in the page's session: a
    browser need not draw a page the walk checks elsewhere, and those were
    most of its loads. The links are the server's HTML either way: no page of
    ours adds a link by script."""
    origin = urlsplit(base_url).netloc
    queue, seen, pages, shapes = list(start), set(start), [], {}
    while queue and len(pages) < MAX_PAGES_PER_ROLE:
        path = queue.pop(0)
        in_browser = wanted is None or wanted(path)
        visited = page_links(page, path, in_browser)
        if visited is None:
            continue
        _, links = visited
        if in_browser and on_page is not None:
            on_page(path)
        pages.append(path)
        for href in links:
            url = urlsplit(urldefrag(href)[0])
            if url.netloc != origin or SKIPPED_PATH.search(url.path):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if target in seen:
                continue
            seen.add(target)
            form = shape(url.path)
            limit = 10 if form == PER_CASE else FOLLOWED_PER_SHAPE
            if shapes.get(form, 0) < limit:
                shapes[form] = shapes.get(form, 0) + 1
                queue.append(target)
    return pages


def page_links(page, path: str, in_browser: bool) -> tuple[str, list[str]] | None:
    """Where the page at `path` landed and its links: loaded in the browser,
    or read over HTTP in the page's session (not drawn); None when it is not
    an HTML page of the session."""
    if in_browser:
        response = page.goto(path)
        if not _is_session_page(path, page.url, response):
            return None
        return page.url, page.evaluate(LINKS)
    response = page.context.request.get(path)
    if not _is_session_page(path, response.url, response):
        return None
    return response.url, _links_of(response.text(), response.url)


def _is_session_page(path: str, landed_url: str, response) -> bool:
    """An HTML page of the session: not an error, a file, or the login page
    a page without access sent the browser to."""
    if response is None or not response.ok:
        return False
    if "text/html" not in (response.headers.get("content-type") or ""):
        return False
    landed = urlsplit(landed_url).path
    return path.startswith("/accounts/login/") or not landed.startswith("/accounts/login/")


class _Links(HTMLParser):
    """The links of a page's HTML as LINKS finds them in the browser (`a[href]`
    without `download`), absolute against the page's URL."""

    def __init__(self, base: str):
        super().__init__()
        self.base, self.found = base, []

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        if tag == "a" and named.get("href") is not None and "download" not in named:
            self.found.append(urljoin(self.base, named["href"].strip()))


def _links_of(html: str, url: str) -> list[str]:
    parser = _Links(url)
    parser.feed(html)
    parser.close()
    return parser.found


def check(page, path: str, width: int, axe: str | None, findings: Findings, where: str) -> None:
    """Load the page and inspect it; `axe` is the source to inject and run,
    or None to check the layout only."""
    response = page.goto(path)
    if response is None or not response.ok:
        findings.visited += 1
        findings.add(where, f"{path}: HTTP {response.status if response else '—'}")
        return
    if axe:
        page.add_script_tag(content=axe)
    inspect(page, path, width, findings, where, run_axe=bool(axe))


def inspect(page, path: str, width: int, findings: Findings, where: str, run_axe: bool) -> None:
    """The checks on the page as loaded: axe (when asked), then the layout."""
    findings.visited += 1
    if run_axe:
        for violation in page.evaluate(AXE_RUN):
            if violation["impact"] in FAILING_IMPACTS:
                findings.add(
                    where,
                    f"{path}: axe {violation['impact']} {violation['id']} ({violation['help']}) "
                    f"at {violation['targets']}",
                )
    layout = page.evaluate(LAYOUT, SMALLEST_FONT_PX)
    if width == PHONE and layout["scrollWidth"] > layout["width"] + 1:
        findings.add(
            where,
            f"{path}: {layout['scrollWidth']} px wide at {layout['width']} px: {layout['wide']}",
        )
    if layout["small"]:
        findings.add(where, f"{path}: text under {SMALLEST_FONT_PX} px: {layout['small']}")


def _context(browser, base_url, storage_state, language: str, width: int, axe: str | None):
    # axe-core is injected as a script, which the pages' strict CSP refuses;
    # the CSP itself is walked by tests/e2e/test_csp.py.
    context = browser.new_context(
        base_url=base_url,
        storage_state=storage_state,
        viewport={"width": width, "height": 844 if width == PHONE else 900},
        bypass_csp=True,
    )
    host = urlsplit(base_url).hostname
    context.add_cookies(
        [{"name": "django_language", "value": language, "domain": host, "path": "/"}]
    )
    if axe:
        context.add_init_script(script=axe)
    context.set_default_timeout(20_000)
    return context


def walk_role(
    browser,
    base_url,
    storage_state,
    start,
    axe: str,
    name: str,
    quota: Quota,
    screenshots=None,
    stored_texts: list[str] | None = None,
):
    """Find the role's pages, checking each as it is found (Chinese,
    desktop), then check each in the other language and width pairs; with
    `stored_texts` (english.stored_texts()), the English pages at phone
    width are also checked for text left in Chinese."""
    findings = Findings()
    pages: list[str] = []

    def first_pass(path: str) -> None:
        if not quota.admit(name, path):
            return
        pages.append(path)
        inspect(page, path, DESKTOP, findings, f"{name} zh-hans {DESKTOP}px", run_axe=True)
        # The same page at phone width: resized rather than loaded again, as
        # the pages answer a resize as they do a load (CSS, and
        # static/js/tables.js on the resize event).
        page.set_viewport_size(PHONE_VIEWPORT)
        try:
            page.evaluate(TWO_FRAMES)
            inspect(page, path, PHONE, findings, f"{name} zh-hans {PHONE}px", run_axe=False)
            _screenshot(page, path, "zh-hans", name, quota, screenshots)
        finally:
            page.set_viewport_size(DESKTOP_VIEWPORT)

    context = _context(browser, base_url, storage_state, "zh-hans", DESKTOP, axe)
    try:
        page = context.new_page()
        discover(
            page, start, base_url, on_page=first_pass, wanted=lambda path: quota.wants(name, path)
        )
    finally:
        context.close()
    for language, width, with_axe in OTHER_PASSES:
        context = _context(
            browser, base_url, storage_state, language, width, axe if with_axe else None
        )
        page = context.new_page()
        where = f"{name} {language} {width}px"
        try:
            for path in pages:
                response = page.goto(path)
                if response is None or not response.ok:
                    findings.visited += 1
                    findings.add(where, f"{path}: HTTP {response.status if response else '—'}")
                    continue
                inspect(page, path, width, findings, where, run_axe=with_axe)
                if stored_texts is not None and (language, width) == ("en", PHONE):
                    for text in english.page_problems(page, stored_texts):
                        findings.add(where, f"{path}: not in English: {text[:80]!r}")
                if width == PHONE:
                    _screenshot(page, path, language, name, quota, screenshots)
        finally:
            context.close()
    return pages, findings


def _screenshot(page, path: str, language: str, name: str, quota: Quota, screenshots) -> None:
    """Save the page, at phone width, for a person to look at: the first of
    each SCREENSHOT_SHAPES kind in each language (the meeting page once per
    role: a member votes, the chair also keeps attendance and closes)."""
    label = SCREENSHOT_SHAPES.get(shape(urlsplit(path).path))
    key = f"{label} {language}" + (f" {name}" if label == "deliberation" else "")
    if not screenshots or not label or key in quota.screenshots:
        return
    quota.screenshots.add(key)
    screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshots / f"phone-{label}-{name}-{language}.png"), full_page=True)


def logged_in_state(browser, base_url: str, username: str, password: str):
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()
    state = context.storage_state()
    context.close()
    return state


def main(base_url: str, usernames: list[str]) -> int:  # pragma: no cover - a tool for people
    import time

    from playwright.sync_api import sync_playwright

    from accounts.demo import DEMO_PASSWORD
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    axe = axe_source()
    total, quota = Findings(), Quota()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        anonymous = browser.new_context().storage_state()
        roles = [(None, anonymous), *((u, None) for u in usernames or DEMO_ROLES)]
        for username, state in roles:
            started = time.monotonic()
            if state is None:
                state = logged_in_state(browser, base_url, username, DEMO_PASSWORD)
            start = ["/public/", "/accounts/login/"] if username is None else ["/"]
            pages, findings = walk_role(
                browser,
                base_url,
                state,
                start,
                axe,
                username or "anonymous",
                quota,
                ROOT / "test-artifacts" / "screenshots",
            )
            print(
                f"{username}: {len(pages)} pages, {findings.visited} visits, {time.monotonic() - started:.0f}s"
            )
            total.visited += findings.visited
            total.problems += findings.problems
        browser.close()
    print("\n".join(total.problems))
    print(f"{total.visited} visits, {len(total.problems)} problems")
    return 1 if total.problems else 0


if __name__ == "__main__":  # pragma: no cover
    import os
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    sys.exit(main(sys.argv[1], sys.argv[2:]))
