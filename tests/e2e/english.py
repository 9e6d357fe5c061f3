"""Is a page in English? The check the English walks make: no Han character
outside case data and regulation text.

What counts as case data and regulation text, and is left out of the check:
- what a template marks: an element with lang="zh…" (regulation text, text
  stored in Chinese such as a history entry written before entries became
  messages, the regulations' own wording of a fact) or data-content="case"
  (case data inside a sentence of ours, e.g. the names in a history entry);
- every text the database holds (names, units, case numbers, narratives,
  clause and article text, document numbers …): `untranslated` removes each
  such string from the page's text before it looks for Han characters.
Anything left is interface text that did not go through the translation.

Used by the accessibility walk (tests/e2e/walk.py, in its English pass) and
by tests/e2e/test_english_walk.py for the roles that walk does not take."""

import re

from django.apps import apps
from django.db import models

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
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


def stored_texts() -> list[str]:
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


def untranslated(chunks: list[str], stored: list[str]) -> list[str]:
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


def page_problems(page, stored: list[str]) -> list[str]:
    """The texts of the loaded page that are not in English."""
    return untranslated(page.evaluate(PAGE_TEXT), stored)
