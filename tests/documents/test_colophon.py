"""The colophon (版记) of an official document: on the last page only, its
rules spanning the text block and its last rule on the block's bottom edge
(GB/T 9704-2012: 225 mm of block below a 37 mm top margin ends 262 mm from the
top of the page)."""

import io

import pdfplumber
import pytest

from documents.kinds import DocumentKind
from documents.rendering import render_pdf
from documents.services import document_builder
from tests.documents.pdf import MM_PER_POINT, text_lines
from tests.flows import taian_case_at

pytestmark = pytest.mark.django_db

BLOCK_BOTTOM_MM = 37 + 225
BLOCK_LEFT_MM, BLOCK_RIGHT_MM = 28, 28 + 156
# The investigation report and the panel's opinion are internal working
# papers: no 版头 and no 版记 (test_register.py checks that).
COLOPHON_KINDS = (
    DocumentKind.MINUTES,
    DocumentKind.DECISION,
    DocumentKind.FILING_NOTICE,
    DocumentKind.PUBLICATION_NOTICE,
)


def _rules(page) -> list[dict]:
    """Full-width horizontal rules (drawn as thin filled rectangles), in mm."""
    rules = []
    for rect in page.rects:
        top, bottom = rect["top"] * MM_PER_POINT, rect["bottom"] * MM_PER_POINT
        left, right = rect["x0"] * MM_PER_POINT, rect["x1"] * MM_PER_POINT
        if bottom - top < 1 and right - left > 150:
            rules.append({"top": top, "bottom": bottom, "left": left, "right": right})
    return sorted(rules, key=lambda rule: rule["top"])


def _colophon_rules(page) -> list[dict]:
    # The red rule under the document number sits near the top of page 1.
    return [rule for rule in _rules(page) if rule["top"] > 150]


def test_the_colophon_is_pinned_to_the_bottom_of_the_last_page():
    filed_case = taian_case_at("filed").reload()
    for kind in COLOPHON_KINDS:
        _assert_colophon_pinned(filed_case, kind)


def _assert_colophon_pinned(filed_case, kind):
    template, builder = document_builder(kind)
    content = render_pdf(template, builder(filed_case)).content
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        pages = pdf.pages
        last = pages[-1]
        rules = _colophon_rules(last)
        assert len(rules) >= 2, rules
        assert abs(rules[-1]["bottom"] - BLOCK_BOTTOM_MM) <= 0.5, rules[-1]
        for rule in rules:
            assert abs(rule["left"] - BLOCK_LEFT_MM) <= 0.5
            assert abs(rule["right"] - BLOCK_RIGHT_MM) <= 0.5
        # The first and last rules are thick (0.35 mm), those between thin (0.25 mm).
        thickness = [round(rule["bottom"] - rule["top"], 2) for rule in rules]
        assert thickness[0] == thickness[-1] == 0.35
        assert all(value == 0.25 for value in thickness[1:-1])
        last_text = last.extract_text()
        assert "印发" in last_text
        # The page with the colophon also carries the signature above it.
        assert filed_case.unit.name in last_text
        for page in pages[:-1]:
            assert "印发" not in (page.extract_text() or "")
            assert _colophon_rules(page) == []
        _assert_text_clear_of_colophon(last, rules[0])


def _assert_text_clear_of_colophon(page, first_rule):
    """Every character above the colophon's first rule ends at least a blank
    line (GB/T 9704: the colophon sits below the body, not against it) above
    it: the reserved room was tall enough."""
    above = [
        char
        for char in page.chars
        if char["text"].strip() and char["top"] * MM_PER_POINT < first_rule["top"]
    ]
    lowest = max(char["bottom"] * MM_PER_POINT for char in above)
    assert lowest <= first_rule["top"] - 8, (lowest, first_rule)


def _official_pdf(
    issuer: str = "测试市场监督管理局", content: str = "<p>正文。</p>", **fields
) -> bytes:
    """An official document of `issuer` with `content` (template source) as
    its body, dated 2026年12月7日; `fields` add to official_fields."""
    from django.template import Context, Template

    from documents.official import official_fields
    from documents.rendering import html_to_pdf

    source = (
        '{% extends "documents/official.html" %}{% block content %}' + content + "{% endblock %}"
    )
    fields = {"doc_number": "测市监备〔2026〕3号", "title": "测试文件", **fields}
    context = official_fields(issuer, signed_on="2026年12月7日", **fields)
    return html_to_pdf(Template(source).render(Context(context))).content


@pytest.mark.parametrize("paragraphs", range(8, 21, 2))
def test_the_reserved_room_keeps_body_text_off_the_colophon(paragraphs):
    """However far down the body ends, the signature and text stay above the
    pinned colophon (one printed line, its room reserved by a fixed box)."""
    content = _official_pdf(
        content=(
            "{% for i in rows %}<p>第{{ i }}段，"
            "本段文字用于把正文推到页面下方，检查版记上方的留白。</p>{% endfor %}"
        ),
        doc_number="测市监〔2026〕1号",
        rows=range(paragraphs),
    )
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        last = pdf.pages[-1]
        rules = _colophon_rules(last)
        assert abs(rules[-1]["bottom"] - BLOCK_BOTTOM_MM) <= 0.5
        _assert_text_clear_of_colophon(last, rules[0])


ONE_CHARACTER_MM = 16 * MM_PER_POINT  # 3号
ONE_COLOPHON_CHARACTER_MM = 14 * MM_PER_POINT  # 4号


def test_the_printed_line_has_the_office_at_the_left_and_the_date_at_the_right():
    """GB/T 9704 8.3: 印发机关 one character in from the left, 印发日期 one
    character in from the right, on one line; a space inside the office's
    name is dropped, not stretched."""
    content = _official_pdf("测试市场 监督管理局")
    printed = next(line for line in text_lines(content) if line.text.endswith("印发"))
    assert printed.text == "测试市场监督管理局办公室2026年12月7日印发"
    assert abs(printed.x0 - (BLOCK_LEFT_MM + ONE_COLOPHON_CHARACTER_MM)) <= 0.5, printed
    assert abs(printed.x1 - (BLOCK_RIGHT_MM - ONE_COLOPHON_CHARACTER_MM)) <= 0.5, printed
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        chars = [c for c in pdf.pages[-1].chars if c["size"] < 15 and c["text"] in "场监室2"]
    at: dict[str, dict] = {}
    for char in sorted(chars, key=lambda c: c["x0"]):
        at.setdefault(char["text"], char)  # the first of each, from the left
    # The stretch is between the office and the date, not inside the name.
    assert at["监"]["x0"] - at["场"]["x1"] < 0.5, (at["场"], at["监"])
    assert (at["2"]["x0"] - at["室"]["x1"]) * MM_PER_POINT > 10


def test_the_issuing_officer_is_on_the_number_line_one_character_in_from_the_right():
    """GB/T 9704 7.2.4 (an upward document): the number one character in from
    the left, 签发人 and the name one character in from the right."""
    content = _official_pdf(issuing_officer="赵局长")
    line = next(line for line in text_lines(content) if "签发人" in line.text)
    assert line.text == "测市监备〔2026〕3号签发人：赵局长"
    assert abs(line.x0 - (BLOCK_LEFT_MM + ONE_CHARACTER_MM)) <= 0.5, line
    assert abs(line.x1 - (BLOCK_RIGHT_MM - ONE_CHARACTER_MM)) <= 0.5, line
    # Before it is issued the number is blank: 签发人 stays at the right.
    content = _official_pdf(issuing_officer="赵局长", doc_number="")
    line = next(line for line in text_lines(content) if "签发人" in line.text)
    assert line.text == "签发人：赵局长"
    assert abs(line.x1 - (BLOCK_RIGHT_MM - ONE_CHARACTER_MM)) <= 0.5, line
