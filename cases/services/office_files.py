"""Inspection of Office files (zip containers) before they are stored: a
.docx that expands to hundreds of megabytes, holds thousands of entries, nests
other archives or carries macros is refused. Sizes are counted while
decompressing, not taken from the archive's own (forgeable) headers."""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

OFFICE_DAMAGED_MESSAGE = _("Office 文件已损坏或不是有效的文件。")
OFFICE_TOO_MANY_ENTRIES_MESSAGE = _("Office 文件包含的部件过多，不予接收。")
OFFICE_EXPANDS_TOO_MUCH_MESSAGE = _("Office 文件解压后过大（疑似压缩炸弹），不予接收。")
OFFICE_NESTED_ARCHIVE_MESSAGE = _("Office 文件中嵌有其他压缩包或文档，不予接收。")
OFFICE_MACROS_MESSAGE = _("不接收含宏的 Office 文件，请另存为不含宏的 .docx 或 .xlsx 后上传。")

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
                _refuse(OFFICE_TOO_MANY_ENTRIES_MESSAGE)
            for entry in entries:
                name = entry.filename.lower()
                if name.endswith(NESTED_SUFFIXES):
                    _refuse(OFFICE_NESTED_ARCHIVE_MESSAGE)
                if name.endswith("vbaproject.bin"):
                    _refuse(OFFICE_MACROS_MESSAGE)
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
                            _refuse(OFFICE_EXPANDS_TOO_MUCH_MESSAGE)
                        if entry.filename == "[Content_Types].xml" and any(
                            marker in chunk for marker in MACRO_MARKERS
                        ):
                            _refuse(OFFICE_MACROS_MESSAGE)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, OSError):
        _refuse(OFFICE_DAMAGED_MESSAGE)
    finally:
        upload.seek(0)
