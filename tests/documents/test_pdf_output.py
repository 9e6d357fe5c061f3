"""How the renderer writes a PDF: font programs deflated at the level chosen
for them (documents.archival), still embedded and subset, and the associated
file listed once."""

import io
import zlib

import pikepdf

from documents.archival import FONT_PROGRAM_LEVEL, ArchivalMetadata
from documents.rendering import html_to_pdf
from tests.documents.pdf import fonts_of, read_pdf, text_of

HTML = (
    '<h1 class="title">关于案件处理情况的备案报告</h1>'
    "<h2>一、基本情况</h2><h3>（一）关于张三</h3><p>经集体研究认定，当事人按期改正。</p>"
)


def test_font_programs_are_deflated_at_their_level_and_stay_subset():
    rendered = html_to_pdf(HTML)
    with pikepdf.open(io.BytesIO(rendered.content)) as pdf:
        descriptors = [
            obj
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor"
        ]
        assert len(descriptors) >= 3  # FangSong, HeiTi, KaiTi, the title's face
        for descriptor in descriptors:
            program = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
            assert program.get("/Filter") == "/FlateDecode"
            raw = program.read_raw_bytes()
            font = zlib.decompress(raw)
            assert font[:4] in (b"OTTO", b"\x00\x01\x00\x00")
            # Written at FONT_PROGRAM_LEVEL, not pydyf's level 9.
            assert raw == zlib.compress(font, FONT_PROGRAM_LEVEL)
    reader = read_pdf(rendered.content)
    assert all(font.embedded and font.subset for font in fonts_of(reader))
    assert "经集体研究认定，当事人按期改正。" in text_of(reader)


def test_an_associated_file_is_listed_once_with_deflated_fonts():
    archival = ArchivalMetadata(issuer="泰安市市场监督管理局", embedded=(("case.json", b"{}"),))
    rendered = html_to_pdf(HTML, archival)
    with pikepdf.open(io.BytesIO(rendered.content)) as pdf:
        assert len(pdf.Root.AF) == 1
        assert pdf.Root.AF[0].F == "case.json"
        programs = [
            obj
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/OpenType"
        ]
        assert programs and all(p.get("/Filter") == "/FlateDecode" for p in programs)
