import pytest

from documents.builders.intake import intake_form_context
from documents.formatting import chinese_date
from documents.kinds import DocumentKind
from documents.registry import document_spec
from documents.rendering import render_pdf
from tests.documents.pdf import fonts_of, page_size_mm, read_pdf, text_of
from tests.factories import CaseFactory, OfficerFactory, SubjectOfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(unit):
    case = CaseFactory(
        unit=unit, incident_summary="某超市被举报销售过期食品<script>alert(1)</script>"
    )
    SubjectOfficerFactory(
        case=case,
        officer=OfficerFactory(name="张执法", certificate_number="37090011", unit=unit),
        part="handler",
    )
    return case


def _render(case):
    template = document_spec(DocumentKind.INTAKE_FORM).template
    return render_pdf(template, intake_form_context(case))


def test_dates_are_arabic_with_full_year_and_no_padding():
    import datetime

    assert chinese_date(datetime.date(2026, 9, 1)) == "2026年9月1日"


def test_it_is_one_a4_page(case):
    pdf = _render(case)
    reader = read_pdf(pdf.content)
    assert pdf.page_count == len(reader.pages) == 1
    width, height = page_size_mm(reader)
    assert abs(width - 210) < 0.5 and abs(height - 297) < 0.5


def test_its_chinese_text_can_be_extracted(case):
    text = text_of(read_pdf(_render(case).content)).replace(" ", "")
    assert case.number in text
    assert "立案登记表" in text
    assert "张执法" in text and "37090011" in text
    # User text is escaped, never interpreted.
    assert "<script>alert(1)</script>" in text


def test_every_font_is_embedded_and_subset(case):
    fonts = fonts_of(read_pdf(_render(case).content))
    assert fonts
    for font in fonts:
        assert font.embedded, font.name
        assert font.subset, font.name
    assert any("Fandol" in f.name or "Noto" in f.name for f in fonts)


def test_it_is_small(case):
    assert len(_render(case).content) < 200 * 1024
