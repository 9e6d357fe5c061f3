"""The GB/T 9704 measurements of tests/documents/test_clerk_reading.py, on
every kind of document a decided case has, under both regulations: page
numbers 7 mm below the block on every page, 28 characters on every full body
line, and no last page holding only the signature (and colophon)."""

import re

import pytest

from cases.workflow import CaseState
from documents.kinds import DocumentKind
from documents.registry import document_spec
from documents.rendering import render_pdf
from panel.models import ExpertPanel
from tests.documents.pdf import (
    BLOCK_BOTTOM_MM,
    full_body_lines,
    grid_columns,
    page_number_lines,
    text_lines,
)
from tests.flows import lianyungang_case_at, taian_case_at

pytestmark = pytest.mark.django_db

KINDS = (
    DocumentKind.INTAKE_FORM,
    DocumentKind.INVESTIGATION_REPORT,
    DocumentKind.EXPERT_OPINION,
    DocumentKind.MINUTES,
    DocumentKind.DECISION,
)
ONE_PAGE_FORMS = {DocumentKind.INTAKE_FORM}


@pytest.mark.parametrize("case_at", [taian_case_at, lianyungang_case_at], ids=["taian", "lyg"])
def test_every_kind_keeps_the_gbt9704_measures(case_at):
    case = case_at(CaseState.DECIDED).reload()
    kinds = [
        kind
        for kind in KINDS
        if kind != DocumentKind.EXPERT_OPINION or ExpertPanel.objects.filter(case=case).exists()
    ]
    assert DocumentKind.DECISION in kinds and DocumentKind.MINUTES in kinds
    for kind in kinds:
        spec = document_spec(kind)
        pdf = render_pdf(spec.template, spec.build(case))
        content = pdf.content
        assert len(content) <= 200 * 1024, (kind, len(content))

        # A page number on every page, its top 7 mm below the text block.
        numbers = page_number_lines(content)
        assert len(numbers) == pdf.page_count, kind
        for line in numbers:
            assert abs(line.top - BLOCK_BOTTOM_MM - 7) < 0.5, (kind, line)
            assert re.fullmatch(r"—\d+—", line.text), (kind, line)

        # 28 characters of the grid on every full body line.
        for line in full_body_lines(content):
            assert 27.6 < grid_columns(line) < 28.2, (kind, line)

        # The last page carries body text, not the signature alone.
        if kind not in ONE_PAGE_FORMS:
            lines = text_lines(content)
            last_page = max(line.page for line in lines)
            body = [
                line
                for line in lines
                if line.page == last_page
                and line.top < BLOCK_BOTTOM_MM
                and abs(line.size - 16) < 0.6
                and line.x0 < 60
            ]
            assert body, kind
        else:
            assert pdf.page_count == 1, kind
