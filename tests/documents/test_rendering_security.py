from pathlib import Path

import pytest

from documents.rendering import DOCUMENT_ASSET_DIR, DocumentAssetFetcher, ForbiddenResource


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
    ],
)
def test_it_refuses_anything_else(url):
    with pytest.raises((ForbiddenResource, ValueError)):
        DocumentAssetFetcher().fetch(url)


def test_the_asset_dir_is_inside_the_project():
    assert DOCUMENT_ASSET_DIR.resolve().is_relative_to(Path(__file__).resolve().parents[2])
