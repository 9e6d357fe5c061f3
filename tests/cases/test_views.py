import pytest
from django.urls import reverse

from accounts.roles import Role
from cases import errors as cases_errors
from cases.models import Case, IntakeDraft
from documents.models import Document
from tests.factories import CaseFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _post_data(unit, officers, summary="某食品经营者被举报销售过期食品，执法人员检查时未发现。"):
    data = {
        "unit": unit.pk,
        "incident_summary": summary,
        "incident_date": "2026-03-05",
        "incident_place": "泰安市泰山区",
        "field": "food",
        "activity_kind": "inspection",
        "lead_source": "complaint",
        "allegation": "执法人员未能发现过期食品，涉嫌未履行监督检查职责。",
        "officers-TOTAL_FORMS": "3",
        "officers-INITIAL_FORMS": "0",
        "officers-MIN_NUM_FORMS": "1",
        "officers-MAX_NUM_FORMS": "10",
    }
    for index, officer in enumerate(officers):
        data[f"officers-{index}-officer"] = officer.pk
        data[f"officers-{index}-part"] = "handler"
    return data


def _file_draft(client, unit, officers):
    """File a case through the intake wizard up to the draft case (the
    incident, officers and allegation steps)."""
    data = _post_data(unit, officers)
    client.post(reverse("cases:create"), {**data, "action": "next"})
    draft = IntakeDraft.objects.get()
    for step in ("officers", "allegation"):
        client.post(reverse("cases:intake_step", args=[draft.pk, step]), data)
    return Case.objects.get()


def test_it_lists_only_the_cases_of_the_users_units(client, inspector, unit, other_unit):
    own = CaseFactory(unit=unit, created_by=inspector)
    foreign = CaseFactory(unit=other_unit)
    client.force_login(inspector)
    response = client.get(reverse("cases:list"))
    assert response.status_code == 200
    assert own.number in response.content.decode()
    assert foreign.number not in response.content.decode()


def test_leadership_sees_the_cases_of_sub_units(client, unit):
    county = UnitFactory(parent=unit, kind="county_bureau", level="county")
    leader = UserFactory(units=[unit], roles=[Role.LEADERSHIP_MEMBER])
    county_case = CaseFactory(unit=county)
    client.force_login(leader)
    assert county_case.number in client.get(reverse("cases:list")).content.decode()
    assert client.get(reverse("cases:detail", args=[county_case.pk])).status_code == 200


def test_an_inspector_does_not_see_the_cases_of_sub_units(client, inspector, unit):
    county_case = CaseFactory(unit=UnitFactory(parent=unit))
    client.force_login(inspector)
    assert client.get(reverse("cases:detail", args=[county_case.pk])).status_code == 404


def test_the_list_is_paginated(client, inspector, unit):
    CaseFactory.create_batch(30, unit=unit, created_by=inspector)
    client.force_login(inspector)
    response = client.get(reverse("cases:list"))
    assert len(response.context["page"].object_list) == 25
    assert response.context["page"].paginator.num_pages == 2


def test_a_user_of_another_unit_gets_404_for_a_case(client, other_inspector, unit):
    case = CaseFactory(unit=unit)
    client.force_login(other_inspector)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("cases:documents", args=[case.pk])).status_code == 404


def test_a_user_without_units_cannot_list_cases(client, unit):
    client.force_login(UserFactory(roles=[Role.INSPECTOR]))
    assert client.get(reverse("cases:list")).status_code == 403


def test_it_shows_the_create_form_to_an_inspector(client, inspector, officers):
    client.force_login(inspector)
    response = client.get(reverse("cases:create"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "事件概要" in content
    assert "承办单位" in content


def test_the_create_form_is_refused_to_an_investigator(client, unit):
    client.force_login(UserFactory(units=[unit], roles=[Role.INVESTIGATOR]))
    assert client.get(reverse("cases:create")).status_code == 403
    assert client.post(reverse("cases:create"), {}).status_code == 403


def test_an_inspector_creates_a_draft_registers_it_and_sees_its_intake_form(
    client, inspector, unit, officers, django_capture_on_commit_callbacks
):
    client.force_login(inspector)
    case = _file_draft(client, unit, officers)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "草稿" in page and "登记立案" in page
    with django_capture_on_commit_callbacks(execute=True):
        moved = client.post(reverse("cases:transition", args=[case.pk, "register"]))
    assert moved.status_code == 302
    case.refresh_from_db()
    assert case.state == "registered" and case.number == f"泰市监〔{case.year}〕1号"
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert case.number in page
    assert "立案登记表" in page and "已生成" in page
    document = Document.objects.get(case=case)
    download = client.get(reverse("cases:document_download", args=[case.pk, document.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_an_invalid_form_shows_errors_and_creates_nothing(client, inspector, unit, officers):
    client.force_login(inspector)
    response = client.post(reverse("cases:create"), _post_data(unit, officers, summary="太短"))
    assert response.status_code == 200
    assert str(cases_errors.SUMMARY_TOO_SHORT) in response.content.decode()
    assert not Case.objects.exists()


def test_a_transition_needs_post(client, inspector, unit):
    case = CaseFactory(unit=unit, number=None, sequence=None, year=None, created_by=inspector)
    client.force_login(inspector)
    assert client.get(reverse("cases:transition", args=[case.pk, "register"])).status_code == 405


def test_a_refused_transition_says_why_on_the_page(client, inspector, unit):
    # A draft without officers cannot be registered.
    case = CaseFactory(unit=unit, number=None, sequence=None, year=None, created_by=inspector)
    client.force_login(inspector)
    response = client.post(reverse("cases:transition", args=[case.pk, "register"]), follow=True)
    assert str(cases_errors.GUARD_NO_SUBJECT_OFFICERS) in response.content.decode()
    case.refresh_from_db()
    assert case.state == "draft"


def test_a_case_without_officers_is_refused_with_a_message(client, inspector, unit):
    client.force_login(inspector)
    client.post(reverse("cases:create"), _post_data(unit, []))
    draft = IntakeDraft.objects.get()
    response = client.post(
        reverse("cases:intake_step", args=[draft.pk, "officers"]), _post_data(unit, [])
    )
    assert response.status_code == 200
    assert not Case.objects.exists()
    assert response.context["form"].non_form_errors()


def test_a_document_of_another_case_cannot_be_downloaded(client, inspector, unit, other_unit):
    own = CaseFactory(unit=unit)
    foreign_document = Document.objects.create(
        case=CaseFactory(unit=other_unit), kind="intake_form", status="done"
    )
    client.force_login(inspector)
    url = reverse("cases:document_download", args=[own.pk, foreign_document.pk])
    assert client.get(url).status_code == 404


def test_the_chair_changes_the_regulation_with_a_reason(client, unit, catalogs):
    admin = UserFactory(units=[unit], roles=[Role.LEADERSHIP_CHAIR])
    case = CaseFactory(unit=unit)
    client.force_login(admin)
    url = reverse("cases:regulation", args=[case.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"regulation": catalogs["lianyungang"].pk, "reason": ""})
    assert refused.status_code == 200
    case.refresh_from_db()
    assert case.regulation == catalogs["taian"]
    client.post(url, {"regulation": catalogs["lianyungang"].pk, "reason": "行为发生地属连云港市"})
    case.refresh_from_db()
    assert case.regulation == catalogs["lianyungang"]
    assert case.regulation_change_reason == "行为发生地属连云港市"
    assert (
        "行为发生地属连云港市"
        in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    )


def test_an_inspector_cannot_change_the_regulation(client, inspector, unit, catalogs):
    case = CaseFactory(unit=unit, created_by=inspector)
    client.force_login(inspector)
    url = reverse("cases:regulation", args=[case.pk])
    assert client.get(url).status_code == 403
    assert (
        client.post(url, {"regulation": catalogs["lianyungang"].pk, "reason": "x"}).status_code
        == 403
    )
    case.refresh_from_db()
    assert case.regulation == catalogs["taian"]
