"""The strict Content-Security-Policy in a real browser: walking the journeys
of the case roles and of the administrators logs no CSP violation (issue 13)."""

import pytest

from cases.workflow import CaseState
from tests import flows

pytestmark = pytest.mark.django_db(transaction=True)

# Listening before any page script runs; init scripts are not subject to CSP.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def walk(page, paths) -> list[str]:
    violations, console = [], []
    page.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.context.add_init_script(RECORD_VIOLATIONS)
    for path in paths:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        violations += [f"{path}: {v}" for v in page.evaluate("window.__cspViolations")]
    return violations + console


def test_the_case_journey_pages_raise_no_csp_violation(as_user, unit):
    flow = flows.taian_case_at(CaseState.DECIDED, unit=unit)
    case = flow.case
    pages = {
        flow.staff.inspector: [
            "/cases/",
            "/cases/tasks/",
            f"/cases/{case.pk}/",
            f"/cases/{case.pk}/report/",
            f"/cases/{case.pk}/expert/",
            "/catalogs/",
            "/notifications/",
            "/cases/new/",
        ],
        flow.staff.chair: [
            f"/cases/{case.pk}/deliberation/",
            f"/cases/{case.pk}/transfer/",
            "/overview/",
            "/vindication/",
            "/vindication/personnel/?officer_query=x&date_from=2026-01-01&date_to=2026-12-31",
        ],
    }
    for user, paths in pages.items():
        page = as_user(user)
        assert walk(page, paths) == []


def test_the_admin_and_the_language_switch_raise_no_csp_violation(page, unit):
    from accounts.roles import Role
    from tests.e2e.conftest import log_in
    from tests.factories import TEST_PASSWORD, UserFactory

    admin = UserFactory(units=[unit], roles=[Role.ADMINISTRATOR], is_staff=True)
    log_in(page, admin.username, TEST_PASSWORD)
    # The administrators' home is the admin: they read no case.
    page.wait_for_url("**/admin/")
    violations = walk(page, ["/admin/", "/admin/accounts/unit/", "/admin/accounts/unit/add/"])
    assert violations == []
    # The language changes on the explicit button only.
    page.goto("/catalogs/")
    page.select_option("#language-switch", "en")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.get_by_test_id("language-submit").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.evaluate("window.__cspViolations") == []
