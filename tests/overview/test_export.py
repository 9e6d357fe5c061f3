"""The overview's figures exported to Excel: the same scope and numbers as
the page, in the reader's language, an audit event, and refusals."""

import io

import openpyxl
import pytest
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent, AuditEventType
from cases.workflow import CaseState
from overview import errors as overview_errors
from tests import flows
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

URL = reverse("overview:export")


@pytest.fixture
def spread(bureaus):
    CaseFactory.create_batch(3, unit=bureaus.city, state=CaseState.INVESTIGATING)
    CaseFactory.create_batch(2, unit=bureaus.district, state=CaseState.REGISTERED)
    CaseFactory.create_batch(4, unit=bureaus.other, state=CaseState.DELIBERATION)
    return bureaus


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def rows(sheet) -> dict:
    return {row[0]: row[1:] for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_the_workbook_holds_the_figures_of_the_units_overseen(client, spread):
    leader = flows.person(spread.city, Role.LEADERSHIP_MEMBER, "孙副局长")
    client.force_login(leader)
    book = workbook(client.get(URL))
    assert book.sheetnames == [
        "统计范围",
        "按阶段",
        "认定结果",
        "按单位",
        "条款适用",
        "各阶段用时",
        "超期案件",
    ]
    assert rows(book["统计范围"])["案件总数"] == (5,)
    by_unit = rows(book["按单位"])
    assert by_unit == {"泰安市市场监督管理局": (3,), "泰山区市场监督管理局": (2,)}
    by_stage = rows(book["按阶段"])
    assert by_stage["调查核实"] == (3,)


def test_the_unit_filter_narrows_the_workbook(client, spread):
    client.force_login(flows.person(spread.city, Role.LEADERSHIP_MEMBER, "孙副局长"))
    book = workbook(client.get(URL, {"unit": spread.district.pk}))
    assert rows(book["统计范围"])["案件总数"] == (2,)
    assert rows(book["统计范围"])["单位（含下级单位）"] == ("泰山区市场监督管理局",)


def test_the_workbook_is_in_the_readers_language(client, spread):
    client.force_login(flows.person(spread.city, Role.LEADERSHIP_MEMBER, "孙副局长"))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    book = workbook(client.get(URL))
    first = book.worksheets[0]
    header = [cell.value for cell in first[1]]
    assert not any("\u4e00" <= char <= "\u9fff" for label in header for char in label)
    for sheet in book.worksheets:
        assert not any("\u4e00" <= char <= "\u9fff" for char in sheet.title)


def test_each_export_is_an_audit_event(client, spread):
    leader = flows.person(spread.city, Role.LEADERSHIP_MEMBER, "孙副局长")
    client.force_login(leader)
    client.get(URL, {"date_from": "2026-01-01"})
    event = AuditEvent.objects.get(event_type=AuditEventType.OVERVIEW_EXPORTED)
    assert event.actor == leader
    assert event.data["filters"] == {"date_from": "2026-01-01"}


def test_an_invalid_scope_is_refused_and_nothing_recorded(client, spread):
    client.force_login(flows.person(spread.city, Role.LEADERSHIP_MEMBER, "孙副局长"))
    response = client.get(URL, {"date_from": "2026-12-31", "date_to": "2026-01-01"})
    assert response.status_code == 400
    assert str(overview_errors.DATE_ORDER) in response.content.decode()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.OVERVIEW_EXPORTED).exists()


def test_it_is_refused_to_an_inspector(client, spread):
    client.force_login(flows.person(spread.city, Role.INSPECTOR, "王承办"))
    assert client.get(URL).status_code == 403


def test_the_page_links_to_the_export_with_its_scope(client, spread):
    client.force_login(flows.person(spread.city, Role.LEADERSHIP_MEMBER, "孙副局长"))
    html = client.get(reverse("overview:index"), {"unit": spread.district.pk}).content.decode()
    assert f'href="{URL}?unit={spread.district.pk}"' in html
