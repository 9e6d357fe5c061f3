"""HTML template + context -> PDF bytes, with WeasyPrint.

Documents hold user text, so the templates autoescape every value and
WeasyPrint may fetch nothing but the project's own document assets and the
images embedded as data: URIs (a unit's seal): no other file, no network
(documents.fetcher).

WeasyPrint is imported when a process first renders, not when it starts:
importing it takes most of a second, which a web node's start, a command
such as `manage.py assess`, or a test process that renders nothing should not
pay."""

import atexit
import functools
import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from documents.archival import ArchivalMetadata, archival_write_pdf
from documents.checks import installed_font_families
from documents.fonts import PreparedFace, document_face, page_number_face

DOCUMENT_ASSET_DIR = Path(settings.BASE_DIR) / "static" / "documents"
DOCUMENT_STYLESHEET = DOCUMENT_ASSET_DIR / "gbt9704.css"
# The media types a document may embed as data: URIs (a unit's seal).
DATA_IMAGE_TYPES = frozenset({"image/png", "image/svg+xml"})
# The faces printed from their document copies when prepared (documents.fonts);
# the Song face prints only the page numbers, from its own copy.
DOCUMENT_COPY_FACES = ("fangsong", "hei", "kai", "xiaobiaosong")


class ForbiddenResource(ValueError):
    """Raised for any URL outside the document assets; WeasyPrint then skips it."""


@functools.cache
def _installed_families() -> frozenset[str]:
    # fontconfig is asked once per process: fonts installed later need a restart.
    return frozenset(installed_font_families())


def _installed_entries(face: str) -> list[tuple[str, str, str]]:
    """The configured stack of one face from its first installed family on
    (all of it when none is installed), as (family, ":", weight) entries."""
    entries = [entry.partition(":") for entry in settings.DOCUMENT_FONT_STACK[face]]
    installed = _installed_families()
    first = next((i for i, (family, _, _) in enumerate(entries) if family in installed), 0)
    return entries[first:]


def font_face_css(face: str) -> tuple[str, str]:
    """The CSS font-family list and font-weight of one face of the configured
    stack. Entries before the first installed one are dropped; that entry's
    ":bold" suffix, if any, decides the weight."""
    entries = _installed_entries(face)
    families = ", ".join(f'"{family}"' for family, _, _ in entries) + ", serif"
    return families, entries[0][2] or "normal"


@functools.cache
def _page_number_face() -> PreparedFace | None:
    """The page numbers' cut-down copy of the installed Song face
    (documents.fonts), prepared once per process; None to use the face itself."""
    family, _, weight = _installed_entries("song")[0]
    if family not in _installed_families() or weight:
        return None
    return page_number_face(family)


def document_faces(make: bool = False) -> dict[str, PreparedFace]:
    """The prepared document copy of each face of DOCUMENT_COPY_FACES whose
    configured family is installed; with `make`, made where missing (about
    15 s a face: `manage.py prepare_document_fonts`)."""
    faces = {}
    for face in DOCUMENT_COPY_FACES:
        family, _, weight = _installed_entries(face)[0]
        if family not in _installed_families():
            continue
        prepared = document_face(family, bold=weight == "bold", make=make)
        if prepared is not None:
            faces[face] = prepared
    return faces


@functools.cache
def _document_faces() -> dict[str, PreparedFace]:
    """The document copies prepared when the process first renders; copies
    prepared later are used after a restart, as installed fonts are."""
    return document_faces()


def _prepared_paths() -> frozenset[Path]:
    """The prepared copies the fetcher may read besides the document assets."""
    prepared = [_page_number_face(), *_document_faces().values()]
    return frozenset(face.path.resolve() for face in prepared if face is not None)


def font_css(
    page_numbers: PreparedFace | None = None, copies: dict[str, PreparedFace] | None = None
) -> str:
    """The font of each element, from the configured stack; the page numbers
    in their prepared copy of the Song face first when there is one, and every
    other face in its document copy first when it is prepared."""
    faces = {face: font_face_css(face) for face in settings.DOCUMENT_FONT_STACK}
    copies = dict(copies or {})
    if page_numbers is not None:
        copies["song"] = page_numbers

    def rule(selector: str, face: str) -> str:
        families, weight = faces[face]
        if face in copies:
            families = f'"{copies[face].family}", {families}'
        return f"{selector} {{ font-family: {families}; font-weight: {weight}; }}"

    def font_face(prepared: PreparedFace) -> str:
        weight = " font-weight: bold;" if prepared.bold else ""
        return (
            f'@font-face {{ font-family: "{prepared.family}"; '
            f'src: url("{prepared.path.as_uri()}");{weight} }}'
        )

    return "\n".join(
        [
            *(font_face(prepared) for prepared in copies.values()),
            rule("html, .fangsong", "fangsong"),
            "@page { " + rule("@bottom-right", "song") + " " + rule("@bottom-left", "song") + " }",
            rule(".issuer-mark, h1.title", "xiaobiaosong"),
            rule("h2, .hei", "hei"),
            rule("h3, .kai", "kai"),
        ]
    )


def document_css(
    page_numbers: PreparedFace | None = None, copies: dict[str, PreparedFace] | None = None
) -> str:
    """Every document's stylesheet: the GB/T 9704 layout and the fonts."""
    return DOCUMENT_STYLESHEET.read_text(encoding="utf-8") + "\n" + font_css(page_numbers, copies)


def stylesheet_digest() -> str:
    """Part of a document's input hash: a change of layout or fonts renders
    documents again even when their HTML did not change. The page numbers'
    prepared copy is cut from the Song face the stack names, so whether a
    machine has made it is left out: it must not render issued documents
    again. The same holds for the document copies of the other faces."""
    return hashlib.sha256(document_css().encode()).hexdigest()


_thread_state = threading.local()
# The main thread's font map is dropped before the interpreter's teardown:
# WeasyPrint, imported late, is torn down first, and the map's finaliser
# would then fail.
atexit.register(lambda: vars(_thread_state).clear())


def _font_configuration():
    """One fontconfig/Pango font map per thread, kept warm between documents:
    a fresh one per document reloads every font and empties the shaping
    caches, which costs a third of the rendering time."""
    if getattr(_thread_state, "font_config", None) is None:
        from weasyprint.text.fonts import FontConfiguration

        _thread_state.font_config = FontConfiguration()
    return _thread_state.font_config


def _stylesheet():
    """The document stylesheet, parsed once per thread (parsing it for every
    document cost a tenth of the rendering time) and again when it changes."""
    text = document_css(_page_number_face(), _document_faces())
    cached = getattr(_thread_state, "stylesheet", None)
    if cached is None or cached[0] != text:
        from weasyprint import CSS

        from documents.fetcher import DocumentAssetFetcher

        parsed = CSS(
            string=text,
            base_url=DOCUMENT_ASSET_DIR.as_uri() + "/",
            url_fetcher=DocumentAssetFetcher(),
            font_config=_font_configuration(),
        )
        _thread_state.stylesheet = cached = (text, parsed)
    return cached[1]


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    page_count: int


def render_html(template_name: str, context: dict) -> str:
    """The document's HTML: cheap, and what decides whether its PDF changes."""
    return render_to_string(template_name, context)


def render_pdf(template_name: str, context: dict) -> RenderedPdf:
    """Render one document template to PDF."""
    return html_to_pdf(render_html(template_name, context))


def html_to_pdf(html: str, archival: ArchivalMetadata | None = None) -> RenderedPdf:
    """The PDF, as PDF/A-3b with the document's metadata (documents.archival)."""
    from weasyprint import HTML

    from documents.fetcher import DocumentAssetFetcher

    document = HTML(
        string=html,
        base_url=DOCUMENT_ASSET_DIR.as_uri() + "/",
        url_fetcher=DocumentAssetFetcher(),
    ).render(font_config=_font_configuration(), stylesheets=[_stylesheet()])
    return RenderedPdf(
        content=archival_write_pdf(document, archival), page_count=len(document.pages)
    )
