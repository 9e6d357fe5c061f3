"""The register exported for inspection: CSV rows and a GB/T 9704 PDF (A4,
fonts embedded, every entry present), filtered as the list is, only for
liaisons and designated readers, and every export audited."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent, AuditEventType
from documents.rendering import render_html
from protections.exports import CSV_HEADER, RegisterFilters, register_csv, register_pdf_context
from protections.models import Channel
from protections.selectors import interference_register
from protections.services.interference import interference_record
from tests.documents.pdf import fonts_of, page_size_mm, read_pdf, text_of
from tests.flows import new_events
from tests.protections.conftest import interference_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(people, entry, county_entry):
    letter = interference_record(
        actor=people.colleague,
        data=interference_input(
            channel=Channel.LETTER,
            interferer_name='=HYPERLINK("http://x")',
            occurred_at=timezone.now() - datetime.timedelta(days=40),
        ),
    )
    return [entry, county_entry, letter]


def rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def export(client, user, fmt, **params):
    client.force_login(user)
    return client.get(reverse(f"protections:interference_export_{fmt}"), params)


def test_the_csv_has_a_row_per_entry_with_attachments_and_hashes(people, entries):
    table = rows(register_csv(interference_register(people.liaison).order_by("occurred_at")))
    assert tuple(table[0]) == CSV_HEADER
    assert len(table) == 4
    entry = entries[0]
    first = next(dict(zip(CSV_HEADER, row, strict=True)) for row in table if row[0] == entry.number)
    assert first["登记号"] == entry.number
    assert first["记录人"] == "王承办"
    assert first["干预方式"] == "电话"
    assert first["干预人"] == "赵某"
    attachment = entry.attachments.get()
    assert first["附件（文件名与SHA-256）"] == f"{attachment.original_name}（{attachment.sha256}）"


def test_a_cell_that_looks_like_a_formula_is_defused(people, entries):
    table = rows(register_csv(interference_register(people.liaison)))
    names = [row[CSV_HEADER.index("干预人")] for row in table[1:]]
    assert '\'=HYPERLINK("http://x")' in names


def test_the_csv_export_is_filtered_and_audited(client, people, entries):
    with new_events() as events:
        response = export(client, people.liaison, "csv", channel="letter")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    table = rows(b"".join(response.streaming_content))
    assert [row[0] for row in table[1:]] == [entries[2].number]
    assert [e.event_type for e in events] == [AuditEventType.INTERFERENCE_REGISTER_EXPORTED]
    assert events[0].data["entries"] == [entries[2].number]
    assert events[0].data["filters"]["channel"] == "letter"
    assert events[0].data["format"] == "csv"


def test_the_period_and_unit_filters(client, people, entries):
    today = timezone.localdate()
    response = export(
        client,
        people.reader,
        "csv",
        date_from=(today - datetime.timedelta(days=7)).isoformat(),
        date_to=today.isoformat(),
        unit=people.county.pk,
    )
    table = rows(b"".join(response.streaming_content))
    assert [row[0] for row in table[1:]] == [entries[1].number]


def test_a_liaison_of_another_body_exports_nothing_of_ours(client, people, entries):
    response = export(client, people.other_liaison, "csv")
    assert rows(b"".join(response.streaming_content))[1:] == []


@pytest.mark.parametrize("who", ["officer", "leader", "admin", "inspector"])
@pytest.mark.parametrize("fmt", ["csv", "pdf"])
def test_export_is_refused_to(client, people, entries, who, fmt):
    count = AuditEvent.objects.count()
    assert export(client, getattr(people, who), fmt).status_code == 403
    assert AuditEvent.objects.count() == count


def test_a_bad_filter_is_refused_and_nothing_is_exported(client, people, entries):
    count = AuditEvent.objects.count()
    response = export(client, people.liaison, "csv", date_from="2026-05-01", date_to="2026-04-01")
    assert response.status_code == 302
    assert AuditEvent.objects.count() == count


@pytest.mark.real_pdf  # reads the PDF's text
def test_the_printable_register_is_an_a4_pdf_with_every_entry(client, people, entries):
    with new_events() as events:
        response = export(client, people.liaison, "pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = read_pdf(b"".join(response.streaming_content))
    width, height = page_size_mm(reader)
    assert abs(width - 210) < 1 and abs(height - 297) < 1
    fonts = fonts_of(reader)
    assert fonts and all(font.embedded for font in fonts)
    text = re.sub(r"\s+", "", text_of(reader))
    assert "违法干预行政执法活动、插手具体案件处理情况登记簿" in text
    assert "共3条" in text
    for entry in entries:
        assert entry.number in text
    attachment = entries[0].attachments.get()
    assert attachment.sha256[:16] in text
    assert "导出人：吴联络" in text
    assert [e.event_type for e in events] == [AuditEventType.INTERFERENCE_REGISTER_EXPORTED]
    assert events[0].data["format"] == "pdf"
    assert len(events[0].data["entries"]) == 3


@pytest.mark.real_pdf  # reads the PDF's text
def test_the_pdf_marks_corrections(client, people, entry):
    correction = interference_record(
        actor=people.officer,
        data=interference_input(),
        corrects=entry,
        correction_reason="职务记错了",
    )
    reader = read_pdf(b"".join(export(client, people.reader, "pdf").streaming_content))
    text = re.sub(r"\s+", "", text_of(reader))
    assert f"已更正，见{correction.number}" in text
    assert f"更正{entry.number}：职务记错了" in text


def test_the_pdf_escapes_what_officers_typed(people):
    entry = interference_record(
        actor=people.officer, data=interference_input(matter="<script>alert(1)</script>")
    )
    html = render_html(
        "documents/interference_register.html",
        register_pdf_context(
            list(interference_register(people.officer)),
            actor=people.liaison,
            filters=RegisterFilters(),
            issuer=people.unit,
        ),
    )
    assert entry.number in html
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html


def test_the_filter_description_names_the_period(people):
    filters = RegisterFilters(
        date_from=datetime.date(2026, 1, 1),
        date_to=datetime.date(2026, 3, 31),
        unit=people.county,
        channel="phone",
        channel_label="电话",
    )
    assert filters.description() == (
        "发生时间：2026年1月1日至2026年3月31日；记录单位：泰山区市场监督管理局；干预方式：电话"
    )
