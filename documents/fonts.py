"""Prepared fonts for the renderer.

WeasyPrint copies and subsets every face a document uses from its full font
file (the Song face is 5 MB) on every render. The Song face prints nothing
but the page numbers ("— 1 —", GB/T 9704 7.5), so the renderer uses a copy of
that face cut down to the page numbers' characters, prepared once per
machine under DOCUMENT_FONT_CACHE_DIR (var/fonts) at the first render. The
page numbers list that copy first and the installed face after it, so any
character it lacks still comes from the installed face; when the copy cannot
be made (no fontconfig, an unreadable font), the installed face alone is
used, as before."""

import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

# "— 12 —": the em dash, the space, the digits; the hyphen and en dash for
# any other style of page number.
PAGE_NUMBER_CHARACTERS = " 0123456789—–-"
# Bump when the way the copy is made changes: a new file name, made afresh.
PREPARED_FORMAT = 1


@dataclass(frozen=True)
class PreparedFace:
    family: str  # the CSS family name of the prepared copy
    path: Path


def prepared_family(family: str) -> str:
    """The CSS family name of the page-number copy of `family`; WeasyPrint
    names the embedded font after it (ABCDEF+FandolSong-PageNumbers)."""
    return f"{family} PageNumbers"


def _font_file(family: str) -> tuple[Path, int] | None:
    """The regular face of `family` as fontconfig resolves it, or None when
    fontconfig would substitute another family."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    output = subprocess.run(  # noqa: S603 - fixed arguments, the configured family
        [fc_match, "--format=%{file}|%{index}|%{family}", f"{family}:style=Regular"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    path, _, rest = output.partition("|")
    index, _, families = rest.partition("|")
    if not path or family not in {name.strip() for name in families.split(",")}:
        return None
    return Path(path), int(index or 0)


def _make_copy(source: Path, index: int, target: Path) -> None:
    """Write the face at `source` cut down to PAGE_NUMBER_CHARACTERS, keeping
    its metrics (the position of the page numbers depends on them)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.layout_features = ["*"]
    font = TTFont(source, fontNumber=index)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=PAGE_NUMBER_CHARACTERS)
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed: another process may be preparing it too.
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(handle)
    try:
        font.save(temporary)
        os.chmod(temporary, 0o644)  # noqa: S103 - a font, read by every worker
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def page_number_face(family: str) -> PreparedFace | None:
    """The page-number copy of the installed `family`, made when missing;
    None when it cannot be made (the renderer then uses the family itself)."""
    found = _font_file(family)
    if found is None:
        return None
    source, index = found
    stat = source.stat()
    key = f"{PREPARED_FORMAT}|{source}|{index}|{stat.st_size}|{stat.st_mtime_ns}|{PAGE_NUMBER_CHARACTERS}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    suffix = ".ttf" if source.suffix.lower() in {".ttf", ".ttc"} else ".otf"
    name = f"page-numbers-{digest}{suffix}"
    folders = _cache_folders()
    for folder in folders:
        if (folder / name).is_file() and _trusted(folder):
            return PreparedFace(family=prepared_family(family), path=folder / name)
    for folder in folders:
        try:
            folder.mkdir(mode=0o755, parents=True, exist_ok=True)
            if not _trusted(folder):
                raise PermissionError(f"{folder} may be written by other users")
            _make_copy(source, index, folder / name)
        except Exception:  # noqa: BLE001 - any failure: the next folder, or the installed face
            logger.warning("could not prepare the page-number font in %s", folder, exc_info=True)
            continue
        return PreparedFace(family=prepared_family(family), path=folder / name)
    return None


def _cache_folders() -> list[Path]:
    """DOCUMENT_FONT_CACHE_DIR, then the system's temporary folder for a
    deployment whose application folder is read-only."""
    return [
        Path(settings.DOCUMENT_FONT_CACHE_DIR),
        Path(tempfile.gettempdir()) / "jinzhi-fonts",
    ]


def _trusted(folder: Path) -> bool:
    """Whether a font found in `folder` can only have been put there by us
    (or root): the temporary folder is shared, and a font planted under the
    expected name would print whatever its glyphs draw."""
    status = folder.stat()
    return status.st_uid in (os.getuid(), 0) and not status.st_mode & 0o022
