"""Printing, exporting and searching in Chromium (issue 18): the case page in
print media, the case list exported with its filters and opened with
openpyxl, a word of a narrative found by the search box, and the clause
matrix in both languages at desk and phone width (screenshots under
/tmp/shots_h18b/ and test-artifacts/screenshots/)."""

import io
import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from cases.models import Case
from cases.workflow import CaseState
from tests import flows
from tests.e2e.conftest import SCREENSHOTS
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/shots_h18b")
NARRATIVE_WORD = "伪造检验报告"


def shot(page, name: str) -> None:
    for folder in (SHOTS, SCREENSHOTS):
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.fixture
def flow(unit):
    """A disputed Tai'an case in deliberation, two officers, a narrative
    with a word to search for, and two other cases of the unit."""
    flow = flows.taian_case_at(CaseState.DELIBERATION, unit=unit, officers=2)
    Case.objects.filter(pk=flow.case.pk).update(
        incident_summary=f"经营者{NARRATIVE_WORD}骗取许可，执法人员审查时未发现。"
    )
    CaseFactory(unit=unit, created_by=flow.staff.inspector, sequence=901, field="drugs")
    CaseFactory(unit=unit, created_by=flow.staff.inspector, sequence=902, field="food")
    return flow


def switch_to_english(page) -> None:
    page.locator("#language-switch").select_option("en")
    page.get_by_test_id("language-submit").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_the_case_page_prints_without_navigation_forms_or_buttons(as_user, flow):
    page = as_user(flow.staff.investigator)
    page.goto(f"/cases/{flow.case.pk}/")
    expect(page.get_by_test_id("print")).to_be_visible()
    page.evaluate("window.printed = 0; window.print = () => { window.printed += 1; }; 0")
    page.get_by_test_id("print").click()
    assert page.evaluate("window.printed") == 1
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.get_by_test_id("print")).to_be_hidden()
    for form in page.locator("main form").all():
        expect(form).to_be_hidden()
    expect(page.locator("#matrix-heading")).to_be_visible()
    assert (
        page.locator("#matrix-heading").evaluate(
            "h => getComputedStyle(h.closest('section')).breakBefore"
        )
        == "page"
    )
    shot(page, "case-page-print")
    page.emulate_media(media="screen")
    expect(page.locator("nav.navbar")).to_be_visible()


def test_the_print_opens_every_folded_block(as_user, flow):
    page = as_user(flow.staff.investigator)
    page.goto(f"/cases/{flow.case.pk}/matrix/")
    blocks = page.locator("details.matrix-block")
    expect(blocks).to_have_count(2)
    assert blocks.evaluate_all("ds => ds.map(d => d.open)") == [True, False]
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert blocks.evaluate_all("ds => ds.map(d => d.open)") == [True, True]
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert blocks.evaluate_all("ds => ds.map(d => d.open)") == [True, False]


def test_the_filtered_list_is_exported_to_excel(as_user, flow):
    page = as_user(flow.staff.inspector)
    page.goto("/cases/")
    page.get_by_label("领域", exact=True).select_option("food")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"field=food"))
    listed = page.locator("table tbody td.case-number").all_inner_texts()
    assert len(listed) == 2
    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    content = Path(download.value.path()).read_bytes()
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "案件编号"
    assert [row[0] for row in rows[1:]] == [number.strip() for number in listed]


def test_a_word_of_a_narrative_finds_the_case(as_user, flow):
    page = as_user(flow.staff.inspector)
    page.goto("/cases/")
    page.get_by_label("搜索").fill("伪造")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_test_id("case-count")).to_contain_text("共 1 件案件")
    expect(page.locator("table tbody")).to_contain_text(flow.case.number)


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_the_matrix_reads_without_clipping(as_user, flow, language, width):
    page = as_user(flow.staff.investigator)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/cases/{flow.case.pk}/")
    if language == "en":
        switch_to_english(page)
    page.get_by_test_id("full-matrix").click()
    blocks = page.locator("details.matrix-block")
    expect(blocks.first).to_be_visible()
    # Nothing wider than the window, and no header or cell cut off.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    clipped = page.locator(".clause-matrix th, .clause-matrix td").evaluate_all(
        "cells => cells.filter(c => c.offsetParent && c.scrollWidth > c.clientWidth + 1)"
        ".map(c => c.textContent.trim())"
    )
    assert clipped == []
    first = blocks.first.locator("[data-testid=clause-where]").first
    # Cited as the regulation numbers it, in the reader's language.
    expect(first).to_contain_text("Art." if language == "en" else "第")
    shot(page, f"matrix-{language}-{width}")
    if width == 390:
        expect(page.locator(".clause-matrix").first).to_have_class(re.compile(r"is-stacked"))
