"""The interference register as a CSV file and as a printable register (PDF,
GB/T 9704 layout), kept on file for inspection (存档备查). Pure functions of
the entries; the service that calls them records the export."""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import Unit, User
from documents.formatting import chinese_date
from documents.official import official_fields
from protections.models import InterferenceEntry

CSV_HEADER = (
    "登记号",
    "记录单位",
    "记录人",
    "执法证号",
    "发生时间",
    "干预人",
    "干预人单位",
    "干预人职务",
    "干预方式",
    "方式说明",
    "涉及的案件或执法事项",
    "干预的具体内容",
    "本人的处理情况",
    "附件（文件名与SHA-256）",
    "更正情况",
    "关联案件",
    "记录时间",
)
# A cell starting with one of these is read as a formula by spreadsheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class RegisterFilters:
    date_from: object = None
    date_to: object = None
    unit: Unit | None = None
    channel: str = ""
    channel_label: str = ""

    def as_data(self) -> dict:
        return {
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "unit": self.unit.name if self.unit else None,
            "channel": self.channel or None,
        }

    def description(self) -> str:
        start = chinese_date(self.date_from) if self.date_from else "不限"
        end = chinese_date(self.date_to) if self.date_to else "不限"
        unit = self.unit.name if self.unit else "全部"
        channel = self.channel_label or "全部"
        return f"发生时间：{start}至{end}；记录单位：{unit}；干预方式：{channel}"


def local_datetime(value) -> str:
    local = timezone.localtime(value)
    return f"{chinese_date(local)} {local:%H:%M}"


def correction_note(entry: InterferenceEntry) -> str:
    parts = []
    if entry.corrects_id:
        parts.append(f"更正{entry.corrects.number}：{entry.correction_reason}")
    correction = entry.correction
    if correction is not None:
        parts.append(f"已更正，见{correction.number}")
    return "；".join(parts)


def _safe(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def register_csv(entries: Iterable[InterferenceEntry]) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read the
    Chinese text right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for entry in entries:
        row = (
            entry.number,
            entry.unit.name,
            entry.officer.name,
            entry.officer.certificate_number,
            local_datetime(entry.occurred_at),
            entry.interferer_name,
            entry.interferer_unit,
            entry.interferer_position,
            entry.get_channel_display(),
            entry.channel_detail,
            entry.matter,
            entry.request_content,
            entry.response,
            "；".join(f"{a.original_name}（{a.sha256}）" for a in entry.attachments.all()),
            correction_note(entry),
            "、".join(link.case.display_number for link in entry.case_links.all()),
            local_datetime(entry.recorded_at),
        )
        writer.writerow([_safe(str(value)) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def register_pdf_context(
    entries: list[InterferenceEntry], *, actor: User, filters: RegisterFilters, issuer: Unit | None
) -> dict:
    """The context of templates/documents/interference_register.html."""
    today = chinese_date(timezone.localdate())
    issuer_name = issuer.name if issuer is not None else ""
    return official_fields(
        issuer_name,
        doc_number="",
        signed_on=today,
        title="违法干预行政执法活动、插手具体案件处理情况登记簿",
        filters=filters.description(),
        exported_by=actor.get_full_name(),
        exported_at=local_datetime(timezone.now()),
        entries=[
            {
                "entry": entry,
                "occurred": local_datetime(entry.occurred_at),
                "recorded": local_datetime(entry.recorded_at),
                "channel": entry.get_channel_display()
                + (f"（{entry.channel_detail}）" if entry.channel_detail else ""),
                "attachments": list(entry.attachments.all()),
                "correction": correction_note(entry),
                "cases": [link.case.display_number for link in entry.case_links.all()],
            }
            for entry in entries
        ],
    )
