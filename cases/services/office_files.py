"""Inspection of Office files (zip containers) before they are stored: a
.docx that expands to hundreds of megabytes, holds thousands of entries, nests
other archives or carries macros is refused. Sizes are counted while
decompressing, not taken from the archive's own (forgeable) headers."""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError

from cases import errors

NESTED_SUFFIXES = (
    ".zip", ".rar", ".7z", ".gz", ".tgz", ".bz2", ".xz", ".tar", ".jar", ".cab",
    ".docx", ".docm", ".xlsx", ".xlsm", ".pptx", ".pptm", ".odt", ".ods",
)  # fmt: skip
MACRO_MARKERS = (b"macroEnabled", b"vbaProject")
CHUNK = 64 * 1024


def _refuse(message) -> None:
    raise ValidationError({"file": message})


def office_file_check(upload) -> None:
    """Raise a ValidationError on the `file` field when the Office file
    (a zip container) is damaged, too big once expanded, has too many
    entries, nests archives or is macro-enabled."""
    max_total = settings.OFFICE_MAX_UNCOMPRESSED_BYTES
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > settings.OFFICE_MAX_ENTRIES:
                _refuse(errors.OFFICE_TOO_MANY_ENTRIES)
            for entry in entries:
                name = entry.filename.lower()
                if name.endswith(NESTED_SUFFIXES):
                    _refuse(errors.OFFICE_NESTED_ARCHIVE)
                if name.endswith("vbaproject.bin"):
                    _refuse(errors.OFFICE_MACROS)
            total = 0
            for entry in entries:
                expanded = 0
                with archive.open(entry) as member:
                    while chunk := member.read(CHUNK):
                        expanded += len(chunk)
                        total += len(chunk)
                        if total > max_total or (
                            expanded > 1024 * 1024
                            and expanded > settings.OFFICE_MAX_RATIO * max(entry.compress_size, 1)
                        ):
                            _refuse(errors.OFFICE_EXPANDS_TOO_MUCH)
                        if entry.filename == "[Content_Types].xml" and any(
                            marker in chunk for marker in MACRO_MARKERS
                        ):
                            _refuse(errors.OFFICE_MACROS)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, OSError):
        _refuse(errors.OFFICE_DAMAGED)
    finally:
        upload.seek(0)
