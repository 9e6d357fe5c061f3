"""Reading PDFs back, for tests: page size, text, fonts."""

import io
from dataclasses import dataclass

from pypdf import PdfReader

MM_PER_POINT = 25.4 / 72


@dataclass
class PdfFont:
    name: str
    embedded: bool
    subset: bool


def read_pdf(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


def page_size_mm(reader: PdfReader, index: int = 0) -> tuple[float, float]:
    box = reader.pages[index].mediabox
    return float(box.width) * MM_PER_POINT, float(box.height) * MM_PER_POINT


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def fonts_of(reader: PdfReader) -> list[PdfFont]:
    """Every font used on any page, with whether its program is embedded and
    whether it is a subset (a six-letter tag before the name: ABCDEF+Name)."""
    fonts: dict[str, PdfFont] = {}
    for page in reader.pages:
        resources = page["/Resources"].get_object()
        for font_ref in resources.get("/Font", {}).get_object().values():
            font = font_ref.get_object()
            descriptor = None
            if "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            else:
                descriptor = font.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            name = str(font["/BaseFont"]).lstrip("/")
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            subset = len(name) > 7 and name[6] == "+" and name[:6].isupper()
            fonts[name] = PdfFont(name=name, embedded=embedded, subset=subset)
    return list(fonts.values())


# --- positions, with pdfplumber (millimetres from the page's top-left corner) ---------

BLOCK_LEFT_MM = 28.0
BLOCK_RIGHT_MM = 28.0 + 156.0
BLOCK_BOTTOM_MM = 37.0 + 225.0


@dataclass
class TextLine:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


def text_lines(content: bytes) -> list[TextLine]:
    """Every line of text on every page, as the characters laid out on one
    baseline, with its extent in millimetres."""
    import pdfplumber

    lines = []
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            rows: dict[tuple[float, float], list] = {}
            for char in page.chars:
                if not char["text"].strip():
                    continue
                key = (round(char["bottom"], 0), round(char["size"], 0))
                rows.setdefault(key, []).append(char)
            for (_bottom, size), chars in sorted(rows.items()):
                chars.sort(key=lambda c: c["x0"])
                lines.append(
                    TextLine(
                        page=number,
                        text="".join(c["text"] for c in chars),
                        x0=chars[0]["x0"] * MM_PER_POINT,
                        x1=chars[-1]["x1"] * MM_PER_POINT,
                        top=min(c["top"] for c in chars) * MM_PER_POINT,
                        bottom=max(c["bottom"] for c in chars) * MM_PER_POINT,
                        size=size,
                    )
                )
    return lines


def page_number_lines(content: bytes) -> list[TextLine]:
    """The page numbers ("— 1 —"): the lines below the text block."""
    return [line for line in text_lines(content) if line.top > BLOCK_BOTTOM_MM]


def full_body_lines(content: bytes) -> list[TextLine]:
    """Body lines (3号) that run to the right edge of the text block, i.e.
    every line of a paragraph but its last."""
    return [
        line
        for line in text_lines(content)
        if abs(line.size - 16) < 0.6
        and line.top < BLOCK_BOTTOM_MM
        and line.x1 > BLOCK_RIGHT_MM - 1.0
    ]


def grid_columns(line: TextLine) -> float:
    """How many 28-per-line character cells the line spans from the left edge
    of the block: 28 for every full line, first lines (two cells indented)
    included."""
    return (line.x1 - BLOCK_LEFT_MM) / (156.0 / 28)
