"""Official documents as PDF/A-3b (ISO 19005-3, level B), the long-term
format archives expect: WeasyPrint embeds every font and the sRGB output
intent and writes the XMP identification; we add the document's own
metadata there, with predefined Dublin Core properties only (so no PDF/A
extension schema is needed): dc:title, the issuing body as dc:creator and
dc:publisher, the 发文字号 as dc:identifier and the date as dc:date. The
filing notice carries case.json as an associated file (AFRelationship
/Source, PDF/A-3's reason to exist)."""

import functools
import re
import zlib
from dataclasses import dataclass, field
from xml.etree.ElementTree import SubElement, fromstring, tostring

import pydyf

PDF_VARIANT = "pdf/a-3b"
# pydyf deflates every stream at level 9. The embedded font programs are most
# of a document's bytes, and their deflating most of its cost: the filing
# notice's FangSong subset (186 KB of TrueType glyphs, documents.fonts) takes
# 20 ms at level 9, 10 ms at 6 and 4 ms at 1, for 92, 93 and 99 KB. They are
# deflated at level 1, everything else as before: the TrueType copies left
# the fonts a fifth smaller than the CFF ones at level 6 even so.
FONT_PROGRAM_LEVEL = 1
_CHINESE_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


@dataclass(frozen=True)
class ArchivalMetadata:
    """What a reader of the archive finds without opening the pages."""

    issuer: str = ""  # the issuing body: 泰安市市场监督管理局
    number: str = ""  # the 发文字号: 泰市监免〔2026〕3号
    date: str = ""  # ISO 8601: 2026-12-06
    embedded: tuple[tuple[str, bytes], ...] = field(default=())  # (name, content)

    @classmethod
    def from_context(cls, context: dict, **extra) -> "ArchivalMetadata":
        """From a document's context (documents.official's fields)."""
        match = _CHINESE_DATE.search(str(context.get("signed_on") or ""))
        date = f"{int(match[1]):04d}-{int(match[2]):02d}-{int(match[3]):02d}" if match else ""
        # The unit's name, not its mark (the minutes' mark is 泰安市…局集体研究纪要).
        issuer = getattr(context.get("unit"), "name", "") or context.get("issuer_mark") or ""
        return cls(issuer=issuer, number=context.get("doc_number") or "", date=date, **extra)


@functools.cache
def _metadata_class():
    """WeasyPrint's metadata with our Dublin Core properties in the same
    rdf:RDF (one packet, as XMP wants). Made at the first render, as
    WeasyPrint is imported then (documents.rendering)."""
    from weasyprint.pdf.metadata import NS, DocumentMetadata

    def rdf(tag: str) -> str:
        return f"{{{NS['rdf']}}}{tag}"

    class ArchivalDocumentMetadata(DocumentMetadata):
        def __init__(self, base: DocumentMetadata, archival: ArchivalMetadata):
            super().__init__(**vars(base))
            self.archival = archival

        def generate_rdf_metadata(self, variant, version, conformance):
            # WeasyPrint's own output, not untrusted input.
            rdf_root = fromstring(  # noqa: S314
                super().generate_rdf_metadata(variant, version, conformance)
            )
            a = self.archival
            description = SubElement(rdf_root, rdf("Description"))
            description.attrib[rdf("about")] = ""
            if a.issuer:
                bag = SubElement(SubElement(description, f"{{{NS['dc']}}}publisher"), rdf("Bag"))
                SubElement(bag, rdf("li")).text = a.issuer
            if a.number:
                SubElement(description, f"{{{NS['dc']}}}identifier").text = a.number
            if a.date:
                seq = SubElement(SubElement(description, f"{{{NS['dc']}}}date"), rdf("Seq"))
                SubElement(seq, rdf("li")).text = a.date
            return tostring(rdf_root, encoding="utf-8")

    return ArchivalDocumentMetadata


def archival_write_pdf(document, archival: ArchivalMetadata | None) -> bytes:
    """Write a rendered WeasyPrint document as PDF/A-3b with the metadata."""
    archival = archival or ArchivalMetadata()
    if archival.issuer:
        document.metadata.authors = [archival.issuer]
    if archival.date:
        document.metadata.created = archival.date
    from weasyprint import Attachment

    document.metadata = _metadata_class()(document.metadata, archival)
    attachments = [
        Attachment(string=content, name=name, relationship="Source")
        for name, content in archival.embedded
    ]
    return document.write_pdf(
        pdf_variant=PDF_VARIANT,
        attachments=attachments or None,
        finisher=_finish_with_attachments if attachments else _deflate_font_programs,
    )


def _finish_with_attachments(document, pdf) -> None:
    _deflate_font_programs(document, pdf)
    _associated_files_once(document, pdf)


def _is_font_program(stream: pydyf.Stream) -> bool:
    # WeasyPrint marks a CFF program /Subtype /OpenType and a TrueType one
    # with its /Length1.
    return stream.extra.get("Subtype") == "/OpenType" or "Length1" in stream.extra


def _deflate_font_programs(document, pdf) -> None:
    """Deflate the embedded font programs at FONT_PROGRAM_LEVEL before pydyf
    writes them (a stream it is told not to compress is written as given)."""
    for stream in pdf.objects:
        if isinstance(stream, pydyf.Stream) and stream.compress and _is_font_program(stream):
            stream.stream = [zlib.compress(b"\n".join(stream.stream), FONT_PROGRAM_LEVEL)]
            stream.extra["Filter"] = "/FlateDecode"
            stream.compress = False


def _associated_files_once(document, pdf) -> None:
    """WeasyPrint 70 lists each attachment twice in the catalogue's /AF
    (from the name tree and from the file specifications): keep one."""
    if "AF" in pdf.catalog:
        unique = list(dict.fromkeys(pdf.catalog["AF"]))
        pdf.catalog["AF"] = pydyf.Array(unique)
