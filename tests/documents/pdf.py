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
