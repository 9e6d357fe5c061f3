"""WeasyPrint's fetcher for documents: only the project's document assets,
the prepared font copies and the images embedded as data: URIs (a unit's
seal); every other file and the network are refused. Imported when a process
first renders (documents.rendering)."""

import base64
import binascii
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint.urls import URLFetcher, URLFetcherResponse

from documents import rendering
from documents.rendering import DATA_IMAGE_TYPES, DOCUMENT_ASSET_DIR, ForbiddenResource


class DocumentAssetFetcher(URLFetcher):
    """Serve only files under static/documents; refuse every other file and the
    network."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)

    def fetch(self, url: str, headers=None):
        if url.startswith("data:"):
            return self._fetch_data_image(url)
        parsed = urlparse(url)
        if parsed.scheme != "file":
            raise ForbiddenResource(f"refused to fetch {url!r}: only document assets")
        path = Path(unquote(parsed.path)).resolve()
        if path in rendering._prepared_paths():
            return super().fetch(path.as_uri(), headers)
        if not path.is_relative_to(DOCUMENT_ASSET_DIR.resolve()) or not path.is_file():
            raise ForbiddenResource(f"refused to fetch {url!r}: outside the document assets")
        return super().fetch(path.as_uri(), headers)

    @staticmethod
    def _fetch_data_image(url: str) -> URLFetcherResponse:
        """A data: URI of one of the image types a document embeds (the
        unit's seal, documents.seals), decoded here; any other is refused. An
        SVG's own references come back through this fetcher and are refused."""
        header, _, payload = url.partition(",")
        media_type = header[len("data:") :].removesuffix(";base64")
        if not header.endswith(";base64") or media_type not in DATA_IMAGE_TYPES:
            raise ForbiddenResource(f"refused to fetch {url[:40]!r}: not an embedded image")
        try:
            body = base64.b64decode(payload, validate=True)
        except binascii.Error as error:
            raise ForbiddenResource("refused an embedded image: not base64") from error
        return URLFetcherResponse(url, body, {"Content-Type": media_type})
