"""The document register (发文登记簿): a number for each document a unit
issues, per unit, year and kind, allocated once when the document is issued
and never reused."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import Unit
from documents.kinds import DocumentKind
from documents.models import DocumentSeries, NumberStyle, RegisterEntry

# The 机关代字 of each kind a unit issues, after the unit's own (泰市监 + 免);
# minutes are numbered by period. A unit's DocumentSeries rows override these.
DEFAULT_CODE_SUFFIX = {
    DocumentKind.DECISION: "免",
    DocumentKind.FILING_NOTICE: "备",
    DocumentKind.PUBLICATION_NOTICE: "公",
    DocumentKind.TRANSFER_LETTER: "移",
    DocumentKind.DUTY_OPINION: "函",
    DocumentKind.NO_IMPACT_CERTIFICATE: "证",
}
PERIOD_KINDS = frozenset({DocumentKind.MINUTES})
NUMBERED_KINDS = frozenset(DEFAULT_CODE_SUFFIX) | PERIOD_KINDS


def series_for(unit: Unit, kind: DocumentKind) -> tuple[str, str]:
    """(style, 机关代字) the unit numbers the kind with."""
    row = DocumentSeries.objects.filter(unit=unit, kind=kind).first()
    if row is not None:
        return row.style, row.agency_code or unit.abbreviation + DEFAULT_CODE_SUFFIX.get(kind, "")
    if kind in PERIOD_KINDS:
        return NumberStyle.PERIOD, ""
    return NumberStyle.ISSUE, unit.abbreviation + DEFAULT_CODE_SUFFIX.get(kind, "")


def number_format(style: str, code: str, year: int, sequence: int) -> str:
    """泰市监免〔2026〕3号 (year in full in 〔〕, no 第, no leading zeros) or 第3期."""
    if style == NumberStyle.PERIOD:
        return f"第{sequence}期"
    return f"{code}〔{year}〕{sequence}号"


def document_number_issue(
    *,
    case,
    kind: DocumentKind,
    key: str = "",
    title: str = "",
    issued_on: datetime.date | None = None,
    issued_by=None,
) -> RegisterEntry:
    """The register entry of a case's document, allocated now if it has none:
    the next sequence of the unit, kind and year, taken with the unit's
    series row locked so concurrent issues queue up. Idempotent: a document
    already numbered keeps its number."""
    kind = DocumentKind(kind)
    if kind not in NUMBERED_KINDS:
        raise ValueError(f"{kind.label}不编发文字号。")
    key = str(key)
    existing = RegisterEntry.objects.filter(case=case, kind=kind, key=key).first()
    if existing is not None:
        return existing
    issued_on = issued_on or timezone.localdate()
    unit = case.unit
    try:
        with transaction.atomic():
            DocumentSeries.objects.get_or_create(
                unit=unit, kind=kind, defaults=_series_defaults(unit, kind)
            )
            DocumentSeries.objects.select_for_update().get(unit=unit, kind=kind)
            existing = RegisterEntry.objects.filter(case=case, kind=kind, key=key).first()
            if existing is not None:
                return existing
            style, code = series_for(unit, kind)
            year = issued_on.year
            last = RegisterEntry.objects.filter(unit=unit, kind=kind, year=year).aggregate(
                last=Max("sequence")
            )["last"]
            sequence = (last or 0) + 1
            return RegisterEntry.objects.create(
                unit=unit,
                kind=kind,
                year=year,
                sequence=sequence,
                number=number_format(style, code, year, sequence),
                case=case,
                key=key,
                title=title[:200],
                issued_on=issued_on,
                issued_by=issued_by,
            )
    except IntegrityError:
        # Another transaction numbered the same document first.
        return RegisterEntry.objects.get(case=case, kind=kind, key=key)


def _series_defaults(unit: Unit, kind: DocumentKind) -> dict:
    if kind in PERIOD_KINDS:
        return {"style": NumberStyle.PERIOD, "agency_code": ""}
    return {
        "style": NumberStyle.ISSUE,
        "agency_code": unit.abbreviation + DEFAULT_CODE_SUFFIX[kind],
    }


def document_number(case, kind: DocumentKind, key: str = "") -> RegisterEntry | None:
    """The entry of a case's document once issued; None before."""
    return RegisterEntry.objects.filter(case=case, kind=kind, key=str(key)).first()
