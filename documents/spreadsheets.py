"""A table (a header row and rows of plain values) as a CSV file or an Excel
workbook, for the exports. Text that a spreadsheet would read as a formula
is defused in both (CSV injection); the CSV starts with a byte-order mark so
that Excel reads the Chinese as UTF-8."""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# A cell starting with one of these is read as a formula by spreadsheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel caps a sheet name at 31 characters and refuses some punctuation.
_SHEET_NAME_LIMIT = 31
_SHEET_NAME_REFUSED = str.maketrans({c: "_" for c in "[]:*?/\\"})


def safe_text(value: str) -> str:
    """The text with a leading apostrophe when it would start a formula."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _cell(value):
    """Numbers and dates stay typed; anything else is defused text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | datetime.date):
        return value
    return safe_text(str(value))


@dataclass(frozen=True)
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence]


def table_csv(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_text(str(label)) for label in header])
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def sheets_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """One worksheet per sheet, its header bold and frozen, columns wide
    enough for their longest cell (Chinese characters count double)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        title = str(sheet.title).translate(_SHEET_NAME_REFUSED)[:_SHEET_NAME_LIMIT]
        worksheet = workbook.create_sheet(title=title)
        worksheet.append([safe_text(str(label)) for label in sheet.header])
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            worksheet.append([_cell(value) for value in row])
        worksheet.freeze_panes = "A2"
        for index, column in enumerate(worksheet.iter_cols(values_only=True), start=1):
            width = max((_display_width(value) for value in column), default=8)
            worksheet.column_dimensions[get_column_letter(index)].width = min(width + 2, 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    return sheets_xlsx([Sheet(title, header, rows)])


def _display_width(value) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)
