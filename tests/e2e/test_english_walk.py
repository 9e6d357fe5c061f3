"""Every page of every role in English: no Han character outside case data
and regulation text.

What counts as case data and regulation text, and is left out of the check:
- what a template marks: an element with lang="zh…" (regulation text, text
  stored in Chinese such as a history entry written before entries became
  messages, the regulations' own wording of a fact) or data-content="case"
  (case data inside a sentence of ours, e.g. the names in a history entry);
- every text the database holds (names, units, case numbers, narratives,
  clause and article text, document numbers …): the walk removes each such
  string from the page's text before it looks for Han characters.
Anything left is interface text that did not go through the translation.

One visit per page shape (the path with its numbers as N) for each role,
found by following links from the home page, on the demo data.
"""

import re
from urllib.parse import urldefrag, urlsplit

import pytest
from django.apps import apps
from django.db import models

from accounts.demo import DEMO_PASSWORD
from tests.e2e import walk
from tests.e2e.test_axe_walk import _seed_demo

pytestmark = pytest.mark.django_db(transaction=True)

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
ROLES = (*walk.DEMO_ROLES, "ta_expert", "lyg_inspector", "ta_auditor", "ta_secadmin")
CASE_PAGES_PER_ROLE = 3  # cases in different stages show different panels
# Stored sentences and labels of ours, not data: the audit trail's summaries,
# the notifications' messages, and the fact vocabulary (shown in English, the
# regulations' own wording of a fact marked lang="zh-Hans" where it shows).
NOT_DATA = {("audit", "auditevent"), ("cases", "notification"), ("exemptions", "fact")}

# Runs in the page: the text a reader meets (text nodes and the attributes
# read out or shown), outside what is marked as case data or Chinese.
PAGE_TEXT = """
() => {
  const excused = (el) => el.closest('[lang^="zh"], [data-content="case"], script, style, template');
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (text && !excused(node.parentElement)) out.push(text);
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
    if (excused(el)) continue;
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      const value = el.getAttribute(name);
      if (value && value.trim()) out.push(value.trim());
    }
  }
  out.push(document.title);
  return out;
}
"""


def _stored_texts() -> list[str]:
    """Every Chinese string the database holds, longest first."""
    texts = set()
    for model in apps.get_models():
        if (model._meta.app_label, model._meta.model_name) in NOT_DATA:
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        for row in model.objects.values_list(*fields):
            for value in row:
                _collect(value, texts)
    return sorted(texts, key=len, reverse=True)


def _collect(value, texts: set) -> None:
    if isinstance(value, str):
        if HAN.search(value):
            texts.add(value.strip())
            texts.update(line.strip() for line in value.splitlines() if HAN.search(line))
    elif isinstance(value, dict):
        for item in value.values():
            _collect(item, texts)
    elif isinstance(value, list | tuple):
        for item in value:
            _collect(item, texts)


def _untranslated(chunks: list[str], stored: list[str]) -> list[str]:
    left = []
    for chunk in chunks:
        if not HAN.search(chunk):
            continue
        for text in stored:
            if text and text in chunk:
                chunk = chunk.replace(text, "")
                if not HAN.search(chunk):
                    break
        if HAN.search(chunk):
            left.append(chunk)
    return left


def _visit_role(context, checked: set, stored: list[str], problems: list[str], who: str) -> int:
    page = context.new_page()
    origin = urlsplit(context.pages[0].url if context.pages else "").netloc
    queue, seen, per_shape, visits = ["/"], {"/"}, {}, 0
    while queue:
        path = queue.pop(0)
        response = page.goto(path)
        if response is None or not response.ok:
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        origin = origin or urlsplit(page.url).netloc
        form = walk.shape(urlsplit(page.url).path)
        key = f"{who} {path}" if form == walk.PER_CASE else form
        if key not in checked:
            checked.add(key)
            visits += 1
            for chunk in _untranslated(page.evaluate(PAGE_TEXT), stored):
                problems.append(f"{who} {path}: {chunk[:80]!r}")
        for href in page.evaluate(walk.LINKS):
            url = urlsplit(urldefrag(href)[0])
            if url.netloc != urlsplit(page.url).netloc or walk.SKIPPED_PATH.search(url.path):
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
    stored = _stored_texts()
    host = urlsplit(live_server.url).hostname
    checked, problems, visits = set(), [], 0
    for username in (None, *ROLES):
        state = (
            walk.logged_in_state(browser, live_server.url, username, DEMO_PASSWORD)
            if username
            else None
        )
        context = browser.new_context(base_url=live_server.url, storage_state=state)
        context.add_cookies(
            [{"name": "django_language", "value": "en", "domain": host, "path": "/"}]
        )
        context.set_default_timeout(20_000)
        try:
            visits += _visit_role(context, checked, stored, problems, username or "anonymous")
        finally:
            context.close()
    assert visits >= 30
    assert problems == [], f"{len(problems)} texts not in English:\n" + "\n".join(problems)
