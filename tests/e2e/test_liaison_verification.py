"""The liaison's verification on receipt, in Chromium (issue 17): a signed
package shows who signed it and when before its download is offered; a
changed one names the file that failed and offers no download."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from cases.workflow import CaseState
from documents import pki
from filing.models import FilingPackage
from filing.services.filing import filing_package_build
from tests.documents.signing import configure, make_pki, tamper
from tests.e2e.walk import DESKTOP, PHONE, Findings, axe_source, check
from tests.flows import move, person, taian_case_at

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = "/tmp/shots_h17"


def test_the_liaison_sees_the_verification_before_downloading(
    as_user, browser, live_server, settings, tmp_path, screenshot_dir
):
    flow = taian_case_at(CaseState.DECIDED)
    unit = flow.staff.unit
    test_pki = make_pki(tmp_path / "pki")
    test_pki.issue(unit)
    configure(settings, test_pki)
    move(flow, "file", flow.staff.inspector)
    package = FilingPackage.objects.get(case=flow.case)
    correction = filing_package_build(
        actor=flow.staff.inspector, case=flow.case, correction_reason="更正证据目录"
    )
    changed = tamper(correction)
    liaison = person(unit, Role.DISCIPLINE_LIAISON, "吴联络", discipline_body=unit.discipline_body)

    page = as_user(liaison)
    page.get_by_role("link", name="备案材料").click()

    good = page.get_by_test_id(f"verification-{package.pk}")
    expect(good).to_have_attribute("data-status", "verified")
    expect(good).to_contain_text("签名核验通过")
    expect(good).to_contain_text(f"由“{unit.name}（{pki.DEMO_MARK}）”于")
    expect(good).to_contain_text("核验：吴联络")
    card = page.get_by_test_id(f"package-{package.pk}")
    expect(card.get_by_role("link", name="下载材料包（第1版）")).to_be_visible()

    bad = page.get_by_test_id(f"verification-{correction.pk}")
    expect(bad).to_have_attribute("data-status", "failed")
    expect(bad).to_contain_text(f"文件“{changed}”未通过核验")
    expect(bad).to_contain_text("不提供下载")
    bad_card = page.get_by_test_id(f"package-{correction.pk}")
    expect(bad_card.get_by_role("link", name="下载材料包（第2版）")).to_have_count(0)

    page.screenshot(path=f"{SHOTS}/liaison-verification.png", full_page=True)
    page.screenshot(path=str(screenshot_dir / "liaison-verification.png"), full_page=True)

    # Verifying again is recorded and says so.
    good.get_by_role("button", name="重新核验").click()
    expect(page.get_by_role("alert").filter(has_text="已重新核验")).to_be_visible()

    # Both outcomes pass axe-core, on a phone and on a desktop.
    # (axe-core is injected as a script, which the strict CSP refuses: a
    # context of the same session that bypasses it, as tests/e2e/walk.py.)
    findings = Findings()
    state = page.context.storage_state()
    for width in (DESKTOP, PHONE):
        context = browser.new_context(
            base_url=live_server.url,
            storage_state=state,
            viewport={"width": width, "height": 900},
            bypass_csp=True,
        )
        checked = context.new_page()
        check(checked, "/filings/", width, axe_source(), findings, f"liaison {width}px")
        if width == PHONE:
            checked.screenshot(path=f"{SHOTS}/liaison-verification-phone.png", full_page=True)
        context.close()
    assert findings.problems == []
