"""The pieces that keep the pages usable on a phone and by keyboard, each on
its own: a wide table becomes labelled cards under 768 px and stays a table
wider; a table that still scrolls sideways can be reached with the Tab key;
the focus ring on the navbar stands out from its red."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.factories import TEST_PASSWORD
from tests.flows import taian_case_at

pytestmark = pytest.mark.django_db(transaction=True)

DISPLAY = "(el) => getComputedStyle(el).display"
LABEL = "(el) => getComputedStyle(el, '::before').content"

# Relative luminance and contrast ratio (WCAG 2.1) of two rgb()/rgba() colours.
CONTRAST = """
([a, b]) => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => {
    const [r, g, b] = rgb(c).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}
"""


@pytest.fixture
def inspector_page(page):
    flow = taian_case_at("registered")
    log_in(page, flow.staff.inspector.username, TEST_PASSWORD)
    expect(page.get_by_test_id("current-user")).to_be_visible()
    return page


def test_it_shows_the_case_list_as_labelled_cards_on_a_phone(inspector_page):
    page = inspector_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("cases:list"))
    table = page.locator("main table.table-stack")
    expect(table).to_have_class(re.compile(r"\bis-stacked\b"))
    row = table.locator("tbody tr").first
    assert row.evaluate(DISPLAY) == "block"
    unit_cell = row.locator("td").nth(1)
    assert unit_cell.get_attribute("data-label") == "承办单位"
    assert unit_cell.evaluate(LABEL) == '"承办单位"'
    # One card a row, as wide as the screen allows, and the page no wider.
    assert unit_cell.bounding_box()["width"] > 250
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_it_keeps_the_table_on_a_wide_screen(inspector_page):
    page = inspector_page
    page.goto(reverse("cases:list"))
    row = page.locator("main table.table-stack tbody tr").first
    assert row.evaluate(DISPLAY) == "table-row"
    assert row.locator("td").nth(1).evaluate(LABEL) == "none"
    expect(page.locator("main table thead")).to_be_visible()


def test_a_table_that_scrolls_sideways_is_reached_by_keyboard(inspector_page):
    page = inspector_page
    page.set_viewport_size({"width": 800, "height": 900})
    page.goto(reverse("cases:list"))
    wrapper = page.locator("main .table-responsive").first
    expect(wrapper).not_to_have_attribute("tabindex", "0")
    wrapper.locator("table").evaluate("(t) => { t.style.minWidth = '2000px'; }")
    page.set_viewport_size({"width": 801, "height": 900})
    expect(wrapper).to_have_attribute("tabindex", "0")
    expect(wrapper).to_have_attribute("role", "region")
    expect(wrapper).to_have_attribute("aria-label", "本单位可见的案件")
    # And it gives the stop back once it no longer scrolls.
    wrapper.locator("table").evaluate("(t) => { t.style.minWidth = ''; }")
    page.set_viewport_size({"width": 802, "height": 900})
    expect(wrapper).not_to_have_attribute("tabindex", "0")


def test_the_focus_ring_on_the_navbar_stands_out_from_its_red(inspector_page):
    page = inspector_page
    page.goto(reverse("cases:list"))
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    focused = page.locator(".navbar :focus-visible")
    expect(focused).to_have_count(1)
    outline = focused.evaluate(
        "(el) => { const s = getComputedStyle(el);"
        " return {color: s.outlineColor, width: parseFloat(s.outlineWidth), style: s.outlineStyle}; }"
    )
    navbar = page.locator("nav.navbar").evaluate("(el) => getComputedStyle(el).backgroundColor")
    assert outline["style"] == "solid" and outline["width"] >= 2
    assert page.evaluate(CONTRAST, [outline["color"], navbar]) >= 3


def test_a_focused_field_has_a_ring_of_at_least_3_to_1(inspector_page):
    page = inspector_page
    page.goto(reverse("cases:list"))
    field = page.locator("main input[name=q]")
    field.focus()
    color = field.evaluate("(el) => getComputedStyle(el).outlineColor")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert page.evaluate(CONTRAST, [color, background]) >= 3
