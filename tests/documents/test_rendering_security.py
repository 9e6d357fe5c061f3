from pathlib import Path

import pytest

from documents.fetcher import DocumentAssetFetcher
from documents.rendering import DOCUMENT_ASSET_DIR, ForbiddenResource


def test_it_serves_the_document_stylesheet():
    response = DocumentAssetFetcher().fetch((DOCUMENT_ASSET_DIR / "gbt9704.css").as_uri())
    try:
        assert b"@page" in response.read()
    finally:
        response.close()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        (DOCUMENT_ASSET_DIR / ".." / ".." / "config" / "settings.py").as_uri(),
        "http://127.0.0.1:9/x.css",
        "https://example.org/font.woff",
        "data:text/plain,hello",
        "data:text/html;base64,PGgxPmhpPC9oMT4=",
        "data:image/svg+xml,<svg/>",  # an image, but not base64
        "data:image/png;base64,not base64!",
    ],
)
def test_it_refuses_anything_else(url):
    with pytest.raises((ForbiddenResource, ValueError)):
        DocumentAssetFetcher().fetch(url)


def test_the_asset_dir_is_inside_the_project():
    assert DOCUMENT_ASSET_DIR.resolve().is_relative_to(Path(__file__).resolve().parents[2])


def test_it_serves_an_embedded_seal_image():
    """A unit's seal comes as a base64 data: URI of a PNG or an SVG."""
    import base64

    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>'
    url = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    response = DocumentAssetFetcher().fetch(url)
    assert response.read() == svg
    assert response.content_type == "image/svg+xml"
