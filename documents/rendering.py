"""HTML template + context -> PDF bytes, with WeasyPrint.

Documents hold user text, so the templates autoescape every value and
WeasyPrint may fetch nothing but the project's own document assets: no other
file, no network."""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

DOCUMENT_ASSET_DIR = Path(settings.BASE_DIR) / "static" / "documents"


class ForbiddenResource(ValueError):
    """Raised for any URL outside the document assets; WeasyPrint then skips it."""


class DocumentAssetFetcher(URLFetcher):
    """Serve only files under static/documents; refuse every other file and the
    network."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)

    def fetch(self, url: str, headers=None):
        parsed = urlparse(url)
        if parsed.scheme != "file":
            raise ForbiddenResource(f"refused to fetch {url!r}: only document assets")
        path = Path(unquote(parsed.path)).resolve()
        if not path.is_relative_to(DOCUMENT_ASSET_DIR.resolve()) or not path.is_file():
            raise ForbiddenResource(f"refused to fetch {url!r}: outside the document assets")
        return super().fetch(path.as_uri(), headers)


def font_family(face: str) -> str:
    """A CSS font-family list for one face of the configured stack."""
    families = settings.DOCUMENT_FONT_STACK[face]
    return ", ".join(f'"{family}"' for family in families) + ", serif"


def font_context() -> dict[str, str]:
    return {f"font_{face}": font_family(face) for face in settings.DOCUMENT_FONT_STACK}


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    page_count: int


def render_html(template_name: str, context: dict) -> str:
    """The document's HTML: cheap, and what decides whether its PDF changes."""
    return render_to_string(template_name, {**font_context(), **context})


def render_pdf(template_name: str, context: dict) -> RenderedPdf:
    """Render one document template to PDF."""
    return html_to_pdf(render_html(template_name, context))


def html_to_pdf(html: str) -> RenderedPdf:
    document = HTML(
        string=html,
        base_url=DOCUMENT_ASSET_DIR.as_uri() + "/",
        url_fetcher=DocumentAssetFetcher(),
    ).render()
    return RenderedPdf(content=document.write_pdf(), page_count=len(document.pages))
