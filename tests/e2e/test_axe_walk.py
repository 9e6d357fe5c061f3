"""Every page of every role, in Chinese and English at phone width (390 px)
and in Chinese at desktop width (1280 px): axe-core finds no serious or
critical violation, no page is wider than a phone's screen, no text is under
12 px, and no interface text is left in Chinese on an English page
(tests/e2e/walk.py does the walking and says why these three passes). The
demo data gives each role something to see: cases in every stage, a meeting
with votes to cast and to close, registers with rows, an intake draft half
filled in.
"""

from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, seed_demo_data
from tests.e2e import english, walk
from tests.e2e.conftest import SCREENSHOTS, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def _seed_demo():
    from demo.cases import seed_demo_cases
    from protections.demo import seed_demo_protections
    from vindication.demo import seed_demo_vindication

    seed_demo_data()
    seed_demo_cases()
    seed_demo_protections()
    seed_demo_vindication()


def _half_filled_draft(page) -> None:
    """The inspector stops the intake wizard at the evidence step."""
    log_in(page, "ta_inspector", DEMO_PASSWORD)
    page.goto("/cases/new/")
    page.get_by_label("行为发生日期").fill("2026-03-05")
    page.get_by_label("发生地点").fill("泰安市泰山区")
    page.get_by_label("领域").select_option("food")
    page.get_by_label("执法活动类型").select_option("inspection")
    page.get_by_label("线索来源").select_option("complaint")
    page.get_by_label("事件概要").fill("群众举报某超市销售过期食品，执法人员此前例行检查时未发现。")
    page.get_by_role("button", name="下一步").click()
    page.locator("#id_officers-0-officer").select_option(label="张执法（泰安市市场监督管理局）")
    page.locator("#id_officers-0-part").select_option("handler")
    page.get_by_role("button", name="下一步").click()
    page.get_by_label("反映的问题（执法过错指控）").fill("执法人员未能发现过期食品。")
    page.locator("input[name^='claims-'][value='6.4']").check()
    page.get_by_role("button", name="下一步").click()
    expect(page).to_have_url(walk.re.compile(r"/cases/drafts/\d+/evidence/$"))


def test_every_page_passes_axe_and_fits_a_phone(browser, live_server, page):
    _seed_demo()
    _half_filled_draft(page)
    axe = walk.axe_source()
    stored = english.stored_texts()
    quota, problems, found = walk.Quota(), [], 0
    anonymous = browser.new_context().storage_state()
    for username in (None, *walk.DEMO_ROLES):
        if username is None:
            state, start = anonymous, ["/accounts/login/", "/public/"]
        else:
            state = walk.logged_in_state(browser, live_server.url, username, DEMO_PASSWORD)
            start = ["/"]
        pages, findings = walk.walk_role(
            browser,
            live_server.url,
            state,
            start,
            axe,
            username or "anonymous",
            quota,
            SCREENSHOTS,
            stored_texts=stored,
        )
        assert pages, f"{username}: no page found"
        # Each page in the three passes.
        assert findings.visited == 3 * len(pages), username
        found += len(pages)
        problems += findings.problems
    assert problems == [], "\n".join(problems)
    # At least the main pages of each role.
    assert found >= 60


PHONE_PAGE = """
<!doctype html><html lang="en"><head><title>t</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Wide</h1>
<p style="color:#bbb">Faint text</p>
<div style="width:600px">A row wider than the phone</div>
<p style="font-size:9px">Tiny</p></main></body></html>
"""


@contextmanager
def probe_page(browser, viewport: dict):
    """A page at http://jinzhi.test/ serving PHONE_PAGE."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.route(
        "http://jinzhi.test/",
        lambda route: route.fulfill(body=PHONE_PAGE, content_type="text/html"),
    )
    try:
        yield page
    finally:
        context.close()


def test_the_walk_reports_violations_overflow_and_tiny_text(browser):
    """The checks can fail: low contrast, a page wider than a phone and tiny
    text are each reported."""
    findings = walk.Findings()
    with probe_page(browser, walk.PHONE_VIEWPORT) as page:
        walk.check(page, "http://jinzhi.test/", walk.PHONE, walk.axe_source(), findings, "probe")
    text = "\n".join(findings.problems)
    assert "axe serious color-contrast" in text
    assert "px wide at 390 px" in text
    assert "text under 12 px" in text and "9px" in text


def test_links_read_over_http_are_the_links_the_browser_follows():
    """A page read for its links only gives what LINKS gives in the browser:
    every `a[href]` but the downloads, absolute, with entities decoded."""
    html = """<a href="/cases/3/">case</a><a href="report/?tab=a&amp;page=2">rel</a>
    <a href="/cases/3/documents/9/pdf/" download>pdf</a><a name="top">anchor</a>
    <a href=" https://elsewhere.test/x ">out</a>"""
    assert walk._links_of(html, "http://t.test/cases/3/") == [
        "http://t.test/cases/3/",
        "http://t.test/cases/3/report/?tab=a&page=2",
        "https://elsewhere.test/x",
    ]


def test_a_page_resized_to_a_phone_is_checked_at_the_phone_width(browser):
    """Chinese at phone width is checked on the desktop page resized (walk.py):
    what fits at 1280 px and not at 390 px is reported."""
    findings = walk.Findings()
    with probe_page(browser, walk.DESKTOP_VIEWPORT) as page:
        page.goto("http://jinzhi.test/")
        walk.inspect(page, "/", walk.DESKTOP, findings, "desktop", run_axe=False)
        assert not [p for p in findings.problems if "px wide" in p]
        page.set_viewport_size(walk.PHONE_VIEWPORT)
        page.evaluate(walk.TWO_FRAMES)
        walk.inspect(page, "/", walk.PHONE, findings, "phone", run_axe=False)
    assert any("px wide at 390 px" in p for p in findings.problems), findings.problems
