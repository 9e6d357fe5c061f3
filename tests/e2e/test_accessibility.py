"""Accessibility basics on the pages people fill in, checked in Chromium on the
DOM a person's browser builds: every field has an accessible name (a label,
aria-label or aria-labelledby), every button and link says what it does,
the page has one main heading and a language, and the state badges carry
text, not colour alone. Voting with the keyboard alone is walked in
test_journey_review.py."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.roles import Role
from tests.e2e.conftest import log_in
from tests.factories import TEST_PASSWORD, OfficerFactory
from tests.flows import convene, deliberation_facts, person, propose, taian_case_at

pytestmark = pytest.mark.django_db(transaction=True)

# What the browser reports for a control without an accessible name; the
# script runs in the page and returns one line per problem.
UNNAMED_CONTROLS = """
() => {
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const named = (el) =>
    (el.labels && el.labels.length > 0) ||
    (el.getAttribute('aria-label') || '').trim() ||
    (el.getAttribute('aria-labelledby') || '').trim() ||
    (el.getAttribute('title') || '').trim();
  const problems = [];
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (['hidden', 'submit', 'button', 'reset'].includes(el.type)) continue;
    if (!named(el)) problems.push(`field without a label: ${el.outerHTML.slice(0, 120)}`);
  }
  for (const el of document.querySelectorAll('button, a[href], input[type=submit]')) {
    if (!visible(el)) continue;
    const text = (el.textContent || el.value || '').trim();
    if (!text && !named(el)) problems.push(`control without text: ${el.outerHTML.slice(0, 120)}`);
  }
  if (document.querySelectorAll('h1').length !== 1) problems.push('not exactly one h1');
  if (!document.documentElement.lang) problems.push('no lang on <html>');
  for (const el of document.querySelectorAll('.badge')) {
    if (visible(el) && !(el.textContent || '').trim()) problems.push(`badge without text: ${el.outerHTML.slice(0, 120)}`);
  }
  return problems;
}
"""


def _check(page, path: str) -> list[str]:
    response = page.goto(path)
    assert response.ok, f"{path}: HTTP {response.status}"
    expect(page.locator("main")).to_be_visible()
    return [f"{path}: {problem}" for problem in page.evaluate(UNNAMED_CONTROLS)]


@pytest.fixture
def deliberating():
    """A Tai'an case with a meeting convened and a proposal to vote on."""
    flow = taian_case_at("deliberation")
    deliberation_facts(flow)
    convene(flow)
    propose(flow)
    return flow


def test_the_working_pages_name_every_field_and_control(page, deliberating):
    flow, staff = deliberating, deliberating.staff
    case = flow.case
    investigating = taian_case_at("investigating", staff=staff)
    liaison = person(
        staff.unit, Role.DISCIPLINE_LIAISON, "吴联络", discipline_body=staff.unit.discipline_body
    )
    # The inspector is an enforcement officer too: they keep the registers.
    OfficerFactory(unit=staff.unit, user=staff.inspector, name=staff.inspector.get_full_name())
    pages_by_user = {
        staff.inspector: [
            reverse("cases:list"),
            reverse("cases:tasks"),
            reverse("cases:create"),
            reverse("cases:detail", args=[case.pk]),
            reverse("protections:interference_create"),
            reverse("protections:protection_create"),
        ],
        staff.investigator: [
            reverse("cases:detail", args=[investigating.case.pk]),
            reverse("investigation:report", args=[investigating.case.pk]),
        ],
        staff.leaders[0]: [
            reverse("deliberation:deliberation", args=[case.pk]),
            reverse("vindication:create"),
            reverse("vindication:personnel_query"),
        ],
        staff.chair: [
            reverse("overview:index"),
            reverse("deliberation:deliberation", args=[case.pk]),
        ],
        liaison: [reverse("filings:inbox"), reverse("protections:interference_list")],
    }
    problems = []
    for user, paths in pages_by_user.items():
        page.context.clear_cookies()
        log_in(page, user.username, TEST_PASSWORD)
        for path in paths:
            problems += _check(page, path)
    assert problems == []


def test_the_check_finds_an_unlabelled_field(page, deliberating):
    """The check itself can fail: a field stripped of its label is reported."""
    log_in(page, deliberating.staff.inspector.username, TEST_PASSWORD)
    page.goto(reverse("cases:list"))
    page.evaluate(
        "() => { const f = document.querySelector('main input:not([type=hidden])');"
        " for (const l of f.labels) l.remove(); f.removeAttribute('aria-label'); }"
    )
    problems = page.evaluate(UNNAMED_CONTROLS)
    assert any(problem.startswith("field without a label") for problem in problems)
