"""The case list exported to CSV and Excel: the rows of the filtered list,
every page of it, only cases the user reads, headers in the reader's
language, formulas defused, an audit event per export, refusals that
change nothing."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent, AuditEventType
from cases import export
from cases.workflow import CaseState
from documents.spreadsheets import safe_text
from tests.factories import CaseFactory, OfficerFactory, SubjectOfficerFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(fmt: str) -> str:
    return reverse("cases:list_export", args=[fmt])


@pytest.fixture
def as_inspector(client, inspector):
    client.force_login(inspector)
    return client


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [
        [cell if cell is not None else "" for cell in row]
        for row in sheet.iter_rows(values_only=True)
    ]


def listed_numbers(client, params) -> list[str]:
    response = client.get(reverse("cases:list"), params)
    return [case.display_number for case in response.context["page"].paginator.object_list]


def test_the_csv_holds_the_filtered_list_in_its_order(as_inspector, inspector, unit):
    for _ in range(3):
        CaseFactory(unit=unit, created_by=inspector, field="food")
    CaseFactory(unit=unit, created_by=inspector, field="drugs")
    params = {"field": "food", "sort": "-number"}
    rows = csv_rows(as_inspector.get(url("csv"), params))
    assert rows[0] == [str(label) for label in export.HEADER]
    assert [row[0] for row in rows[1:]] == listed_numbers(as_inspector, params)
    assert len(rows) == 4


def test_the_excel_file_holds_the_filtered_list_every_page_of_it(
    as_inspector, inspector, unit, monkeypatch
):
    monkeypatch.setattr("cases.views.cases.CASES_PER_PAGE", 2)
    cases = [
        CaseFactory(unit=unit, created_by=inspector, incident_summary="伪造标签") for _ in range(5)
    ]
    CaseFactory(unit=unit, created_by=inspector)
    response = as_inspector.get(url("xlsx"), {"q": "伪造", "page": "2"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'attachment; filename="cases-' in response["Content-Disposition"]
    rows = xlsx_rows(response)
    assert sorted(row[0] for row in rows[1:]) == sorted(c.number for c in cases)


def test_a_row_says_what_the_list_says(as_inspector, inspector, unit):
    case = CaseFactory(unit=unit, created_by=inspector, state=CaseState.INVESTIGATING)
    SubjectOfficerFactory(case=case, officer=OfficerFactory(unit=unit, name="张执法"))
    [row] = csv_rows(as_inspector.get(url("csv")))[1:]
    assert row[:4] == [case.number, unit.name, "张执法", "调查核实"]


def test_the_headers_are_in_the_readers_language(client, inspector, unit):
    CaseFactory(unit=unit, created_by=inspector)
    client.force_login(inspector)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(url("csv"))
    header = csv_rows(response)[0]
    assert header[0] == "Case number"
    assert not any("\u4e00" <= char <= "\u9fff" for label in header for char in label)


def test_only_the_cases_the_user_reads_are_exported(as_inspector, inspector, unit, other_unit):
    own = CaseFactory(unit=unit, created_by=inspector)
    CaseFactory(unit=other_unit)
    rows = csv_rows(as_inspector.get(url("csv")))
    assert [row[0] for row in rows[1:]] == [own.number]


def test_a_cell_that_looks_like_a_formula_is_defused(as_inspector, inspector, unit):
    case = CaseFactory(unit=unit, created_by=inspector)
    SubjectOfficerFactory(case=case, officer=OfficerFactory(unit=unit, name="=HYPERLINK(1)"))
    [row] = csv_rows(as_inspector.get(url("csv")))[1:]
    assert row[2] == "'=HYPERLINK(1)"
    [row] = xlsx_rows(as_inspector.get(url("xlsx")))[1:]
    assert row[2] == "'=HYPERLINK(1)"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"])
def test_every_formula_lead_is_defused(text):
    assert safe_text(text) == "'" + text


def test_each_export_is_an_audit_event(as_inspector, inspector, unit):
    CaseFactory(unit=unit, created_by=inspector, field="food")
    as_inspector.get(url("xlsx"), {"field": "food", "state": "nonsense"})
    event = AuditEvent.objects.get(event_type=AuditEventType.CASE_LIST_EXPORTED)
    assert event.actor == inspector
    assert event.data == {"format": "xlsx", "filters": {"field": "food"}, "count": 1}


def test_too_many_cases_are_refused_with_a_message_and_nothing_recorded(
    as_inspector, inspector, unit, monkeypatch
):
    monkeypatch.setattr(export, "EXPORT_LIMIT", 2)
    for _ in range(3):
        CaseFactory(unit=unit, created_by=inspector)
    response = as_inspector.get(url("csv"), {"field": "food"}, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("cases:list"))
    assert "一次最多导出 2 件" in response.content.decode()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.CASE_LIST_EXPORTED).exists()


def test_an_unknown_format_is_not_found(as_inspector):
    assert as_inspector.get(url("pdf")).status_code == 404


def test_a_user_who_reads_no_case_gets_the_header_alone(client, inspector, unit):
    CaseFactory(unit=unit, created_by=inspector)
    client.force_login(UserFactory(units=[unit], roles=[Role.AUDIT_ADMINISTRATOR]))
    rows = csv_rows(client.get(url("csv")))
    assert rows == [[str(label) for label in export.HEADER]]


def test_an_anonymous_user_is_sent_to_log_in(client):
    response = client.get(url("csv"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_list_links_to_the_exports_with_its_filters(as_inspector, inspector, unit):
    CaseFactory(unit=unit, created_by=inspector)
    html = as_inspector.get(reverse("cases:list"), {"field": "food", "page": "1"}).content.decode()
    assert f'href="{url("csv")}?field=food"' in html
    assert f'href="{url("xlsx")}?field=food"' in html
