import pytest
from django.urls import reverse

from accounts.roles import Role
from investigation import errors as investigation_errors
from investigation.models import InvestigationReport, ReportConclusion
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _form(case, version, findings="经查属实。", conclusion="符合第六条第（四）项。"):
    data = {"findings_summary": findings, "conclusion": conclusion, "base_version": version}
    for so in case.subject_officers.all():
        data[f"conclusion-{so.pk}-6.4"] = "satisfied"
        data[f"reasoning-{so.pk}-6.4"] = "按计划检查"
    return data


def _url(case, name="report"):
    return reverse(f"investigation:{name}", args=[case.pk])


def test_it_shows_the_edit_form_to_an_investigator(client, people, stages):
    case = stages.investigating(officers=2)
    client.force_login(people.investigator)
    response = client.get(_url(case))
    assert response.status_code == 200
    page = response.content.decode()
    assert "撰写调查报告" in page
    for so in case.subject_officers.all():
        # The claimed clause, prefilled with the engine's result.
        field = response.context["form"][f"conclusion-{so.pk}-6.4"]
        assert field.value() == "satisfied"
    assert response.context["form"]["base_version"].value() == 0


def test_it_offers_the_clauses_the_engine_finds_satisfied_though_not_claimed(
    client, people, stages
):
    case = stages.investigating()
    client.force_login(people.investigator)
    form = client.get(_url(case)).context["form"]
    refs = [row.ref for row in form.report_rows]
    assert "6.4" in refs
    assert all(
        row.claimed or row.engine_result in ("satisfied", "excluded") for row in form.report_rows
    )


def test_it_saves_the_report_with_its_clause_conclusions(client, people, stages):
    case = stages.investigating(officers=2)
    client.force_login(people.investigator)
    response = client.post(_url(case), _form(case, 0))
    assert response.status_code == 302
    report = InvestigationReport.objects.get(case=case)
    assert report.version == 1
    assert report.findings_summary == "经查属实。"
    assert ReportConclusion.objects.filter(report=report, conclusion="satisfied").count() == 2
    page = client.get(response.url).content.decode()
    assert "已保存调查报告第1版。" in page
    assert "按计划检查" in page


def test_it_saves_a_new_version_from_the_current_one(client, people, stages):
    case = stages.reported(stages.investigating(), sign_off=False)
    client.force_login(people.investigator)
    response = client.post(_url(case), _form(case, 1, findings="补充调查后认定。"))
    assert response.status_code == 302
    report = InvestigationReport.objects.get(case=case)
    assert (report.version, report.findings_summary) == (2, "补充调查后认定。")


def test_it_refuses_a_stale_edit_and_keeps_the_text(client, people, stages):
    # Two open pages of the same report (the investigator's two tabs): the
    # second save works from the version the first one already replaced.
    case = stages.reported(stages.investigating(), sign_off=False)
    client.force_login(people.investigator)
    client.post(_url(case), _form(case, 1, findings="何调查的修改。"))
    response = client.post(_url(case), _form(case, 1, findings="李调查未刷新时写的修改。"))
    assert response.status_code == 200
    page = response.content.decode()
    assert investigation_errors.STALE_REPORT % {"current": 2, "yours": 1} in page
    assert "李调查未刷新时写的修改。" in page
    report = InvestigationReport.objects.get(case=case)
    assert (report.version, report.findings_summary) == (2, "何调查的修改。")


def test_it_shows_a_missing_field_next_to_it(client, people, stages):
    case = stages.investigating()
    client.force_login(people.investigator)
    response = client.post(_url(case), _form(case, 0, findings=""))
    assert response.status_code == 200
    assert response.context["form"].errors["findings_summary"] == ["这个字段是必填项。"]
    assert not InvestigationReport.objects.exists()


def test_it_refuses_an_edit_from_an_inspector(client, people, stages):
    case = stages.investigating()
    client.force_login(people.inspector)
    assert client.post(_url(case), _form(case, 0)).status_code == 403
    assert not InvestigationReport.objects.exists()


def test_it_shows_the_report_read_only_to_an_inspector(client, people, stages):
    case = stages.reported(stages.investigating(), sign_off=False)
    client.force_login(people.inspector)
    response = client.get(_url(case))
    page = response.content.decode()
    assert response.context["form"] is None
    assert "经查，张执法按年度检查计划实施了检查。" in page
    assert "签发第1版调查报告" not in page


def test_it_hides_the_case_from_another_unit(client, people, stages, other_unit):
    case = stages.investigating()
    client.force_login(UserFactory(units=[other_unit], roles=[Role.INVESTIGATOR]))
    assert client.get(_url(case)).status_code == 404
    assert client.post(_url(case), _form(case, 0)).status_code == 404


def test_it_shows_the_sign_off_button_only_to_the_lead_investigator(client, people, stages):
    case = stages.reported(stages.investigating(), sign_off=False)
    client.force_login(people.investigator)
    assert "签发第1版调查报告" in client.get(_url(case)).content.decode()
    client.force_login(people.investigator2)
    assert "签发第1版调查报告" not in client.get(_url(case)).content.decode()


def test_the_lead_investigator_signs_the_report_off(client, people, stages):
    case = stages.reported(stages.investigating(), sign_off=False)
    client.force_login(people.investigator)
    response = client.post(
        _url(case, "report_sign_off"), {"version": 1, "confirm": "1"}, follow=True
    )
    assert "已签发调查报告第1版。" in response.content.decode()
    report = InvestigationReport.objects.get(case=case)
    assert report.signed_off_by == people.investigator
    # Signed off, the report is read-only.
    assert response.context["form"] is None


def test_sign_off_refuses_get(client, people, stages):
    case = stages.reported(stages.investigating(), sign_off=False)
    client.force_login(people.investigator)
    assert client.get(_url(case, "report_sign_off")).status_code == 405


def test_sign_off_refuses_another_investigator(client, people, stages):
    case = stages.reported(stages.investigating(), sign_off=False)
    client.force_login(people.investigator2)
    # Not assigned to the case, they do not even read it (need-to-know).
    response = client.post(_url(case, "report_sign_off"), {"version": 1, "confirm": "1"})
    assert response.status_code in (403, 404)
    assert not InvestigationReport.objects.get(case=case).is_signed_off


def test_a_repeated_sign_off_is_harmless(client, people, stages):
    case = stages.reported(stages.investigating(), sign_off=False)
    client.force_login(people.investigator)
    client.post(_url(case, "report_sign_off"), {"version": 1, "confirm": "1"})
    signed_at = InvestigationReport.objects.get(case=case).signed_off_at
    response = client.post(
        _url(case, "report_sign_off"), {"version": 1, "confirm": "1"}, follow=True
    )
    assert str(investigation_errors.REPORT_ALREADY_SIGNED_OFF) in response.content.decode()
    assert InvestigationReport.objects.get(case=case).signed_off_at == signed_at


def test_sign_off_of_an_older_version_is_refused(client, people, stages):
    case = stages.reported(stages.investigating(), sign_off=False)
    client.force_login(people.investigator)
    client.post(_url(case), _form(case, 1))
    response = client.post(
        _url(case, "report_sign_off"), {"version": 1, "confirm": "1"}, follow=True
    )
    stale = investigation_errors.STALE_REPORT % {"current": 2, "yours": 1}
    assert stale in response.content.decode()
    assert not InvestigationReport.objects.get(case=case).is_signed_off


def test_the_report_page_runs_a_fixed_number_of_queries(
    client, people, stages, django_assert_max_num_queries
):
    one = stages.reported(stages.investigating(officers=1), sign_off=False)
    two = stages.reported(stages.investigating(officers=2), sign_off=False)
    client.force_login(people.investigator)
    client.get(_url(one))
    with django_assert_max_num_queries(24) as one_run:
        client.get(_url(one))
    with django_assert_max_num_queries(24) as two_run:
        client.get(_url(two))
    assert len(one_run.captured_queries) == len(two_run.captured_queries)
