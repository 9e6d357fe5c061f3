"""The GB/T 9704 checks every vindication PDF passes (after
tests/documents/test_filing_documents.py)."""

import io
import re

import pdfplumber

from tests.documents.pdf import MM_PER_POINT, fonts_of, page_size_mm, read_pdf, text_of


def flat(text: str) -> str:
    return "".join(text.split())


def pdf_text(content: bytes) -> str:
    """The text without spaces, line breaks and page numbers (— 1 —), so a
    sentence across a page break reads whole."""
    return re.sub(r"—\d+—", "", flat(text_of(read_pdf(content))))


def assert_official_layout(content: bytes) -> None:
    """A4 pages, every font embedded and subset, the text inside the block
    (天头 37 mm, 订口 28 mm, 版心 156 × 225 mm)."""
    reader = read_pdf(content)
    for index in range(len(reader.pages)):
        width, height = page_size_mm(reader, index)
        assert abs(width - 210) <= 0.5 and abs(height - 297) <= 0.5
    fonts = fonts_of(reader)
    assert fonts
    for font in fonts:
        assert font.embedded, font.name
        assert font.subset, font.name
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        lefts = []
        for page in pdf.pages:
            body = [c for c in page.chars if c["bottom"] * MM_PER_POINT <= 297 - 35 + 1]
            assert body
            lefts.append(min(c["x0"] for c in body) * MM_PER_POINT)
            assert min(c["top"] for c in body) * MM_PER_POINT >= 36
            assert max(c["x1"] for c in body) * MM_PER_POINT <= 185
        assert abs(min(lefts) - 28) <= 1, lefts
