"""The intake wizard (cases:create): every step's validation, drafts kept
between sessions and private to their owner, discarding, and the submit
that registers exactly one case."""

import datetime

import pytest
import rules
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from cases import errors as cases_errors
from cases.intake_forms import EVIDENCE_EXTENSIONS
from cases.models import Case, ClauseClaim, Evidence, IntakeDraft
from cases.services.evidence import ALLOWED_TYPES
from cases.services.transitions import case_transition
from cases.workflow import CaseState
from tests.factories import OfficerFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SUMMARY = "2026年3月5日，某食品经营者被举报销售过期食品，执法人员检查时未发现。"


def _incident(unit, **changes):
    return {
        "unit": unit.pk,
        "incident_date": "2026-03-05",
        "incident_place": "泰安市泰山区",
        "field": "food",
        "activity_kind": "inspection",
        "lead_source": "complaint",
        "incident_summary": SUMMARY,
        **changes,
    }


def _officers(*rows, total=3):
    data = {
        "officers-TOTAL_FORMS": str(total),
        "officers-INITIAL_FORMS": "0",
        "officers-MIN_NUM_FORMS": "1",
        "officers-MAX_NUM_FORMS": "10",
    }
    for index, (officer, part) in enumerate(rows):
        data[f"officers-{index}-officer"] = str(officer.pk)
        data[f"officers-{index}-part"] = part
    return data


def _allegation(claims=None, **changes):
    data = {"allegation": "执法人员未能发现过期食品，涉嫌未履行监督检查职责。", **changes}
    for officer, refs in (claims or {}).items():
        data[f"claims-{officer.pk}"] = refs
    return data


def _url(draft, step):
    return reverse("cases:intake_step", args=[draft.pk, step])


def _post(client, draft, step, data, action="next", **extra):
    return client.post(_url(draft, step), {**data, "action": action}, **extra)


def _start(client, unit) -> IntakeDraft:
    response = client.post(reverse("cases:create"), {**_incident(unit), "action": "next"})
    draft = IntakeDraft.objects.get()
    assert response.status_code == 302
    assert response.url == _url(draft, "officers")
    return draft


def _through_allegation(client, unit, officers, claims=None) -> IntakeDraft:
    draft = _start(client, unit)
    assert _post(client, draft, "officers", _officers((officers[0], "handler"))).status_code == 302
    response = _post(client, draft, "allegation", _allegation(claims))
    assert response.status_code == 302
    assert response.url == _url(draft, "evidence")
    draft.refresh_from_db()
    return draft


def _upload(client, draft, upload, description="检查记录", xhr=True):
    headers = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"} if xhr else {}
    return client.post(
        _url(draft, "evidence"),
        {"action": "upload", "file": upload, "description": description},
        **headers,
    )


def _stored_files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def filer(client, inspector):
    client.force_login(inspector)
    return client


# --- entry and permissions -----------------------------------------------------------------


def test_the_create_page_is_the_first_step_of_the_wizard(filer):
    response = filer.get(reverse("cases:create"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "第一步：事件" in content and "事件概要" in content
    assert 'aria-current="step"' in content
    assert not IntakeDraft.objects.exists()


def test_the_wizard_is_refused_to_an_investigator(client, unit):
    client.force_login(UserFactory(units=[unit], roles=[Role.INVESTIGATOR]))
    assert client.get(reverse("cases:create")).status_code == 403
    assert client.post(reverse("cases:create"), {"action": "save"}).status_code == 403
    assert client.get(reverse("cases:intake_drafts")).status_code == 403
    assert not IntakeDraft.objects.exists()


# --- step 1: incident ----------------------------------------------------------------------


def test_it_names_missing_fields_next_to_them_and_keeps_nothing(filer, unit):
    response = filer.post(reverse("cases:create"), {"unit": unit.pk, "action": "next"})
    assert response.status_code == 200
    form = response.context["form"]
    for field in ("incident_date", "incident_place", "field", "incident_summary"):
        assert form.errors[field] == ["这个字段是必填项。"], field
    assert 'id="error_1_id_incident_date"' in response.content.decode()
    assert not IntakeDraft.objects.exists()


def test_it_refuses_a_future_incident_date(filer, unit):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = filer.post(
        reverse("cases:create"), {**_incident(unit, incident_date=tomorrow), "action": "next"}
    )
    assert response.context["form"].errors["incident_date"] == [
        str(cases_errors.INCIDENT_DATE_IN_FUTURE)
    ]
    assert not IntakeDraft.objects.exists()


def test_it_refuses_a_date_that_is_not_a_date(filer, unit):
    response = filer.post(
        reverse("cases:create"), {**_incident(unit, incident_date="2026-13-45"), "action": "next"}
    )
    assert response.context["form"].errors["incident_date"]
    assert not IntakeDraft.objects.exists()


def test_it_refuses_a_date_before_any_regulation_took_effect(filer, unit):
    response = filer.post(
        reverse("cases:create"), {**_incident(unit, incident_date="2019-01-01"), "action": "next"}
    )
    assert response.context["form"].errors["incident_date"] == [
        cases_errors.NO_REGULATION_IN_FORCE % {"unit": unit.name, "date": "2019年1月1日"}
    ]


def test_it_refuses_a_too_short_summary(filer, unit):
    response = filer.post(
        reverse("cases:create"), {**_incident(unit, incident_summary="太短"), "action": "next"}
    )
    assert response.context["form"].errors["incident_summary"] == [
        str(cases_errors.SUMMARY_TOO_SHORT)
    ]


def test_it_refuses_a_unit_the_inspector_does_not_belong_to(filer, other_unit):
    response = filer.post(reverse("cases:create"), {**_incident(other_unit), "action": "next"})
    assert response.context["form"].errors["unit"]
    assert not IntakeDraft.objects.exists()


def test_a_valid_incident_starts_a_draft_at_the_officers_step(filer, unit, inspector):
    draft = _start(filer, unit)
    assert draft.owner == inspector
    assert draft.step == "officers"
    assert draft.data["incident"]["incident_place"] == ["泰安市泰山区"]
    assert draft.case is None


def test_saving_keeps_an_incomplete_step_as_typed(filer, unit):
    response = filer.post(
        reverse("cases:create"),
        {"unit": unit.pk, "incident_place": "泰山区某超市", "action": "save"},
    )
    draft = IntakeDraft.objects.get()
    assert response.url == _url(draft, "incident")
    assert draft.step == "incident"
    page = filer.get(_url(draft, "incident")).content.decode()
    assert 'value="泰山区某超市"' in page


def test_a_later_step_is_not_reachable_before_the_earlier_ones(filer, unit):
    filer.post(reverse("cases:create"), {"unit": unit.pk, "action": "save"})
    draft = IntakeDraft.objects.get()
    for step in ("officers", "allegation", "evidence", "review"):
        response = filer.get(_url(draft, step))
        assert response.status_code == 302, step
        assert response.url == _url(draft, "incident"), step


def test_an_unknown_step_is_404(filer, unit):
    draft = _start(filer, unit)
    assert filer.get(_url(draft, "nonsense")).status_code == 404


# --- step 2: officers ----------------------------------------------------------------------


def test_it_refuses_a_case_without_officers(filer, unit, officers):
    draft = _start(filer, unit)
    response = _post(filer, draft, "officers", _officers())
    assert response.status_code == 200
    assert str(cases_errors.NO_SUBJECT_OFFICERS) in response.context["form"].non_form_errors()
    assert str(cases_errors.NO_SUBJECT_OFFICERS) in response.content.decode()
    draft.refresh_from_db()
    assert draft.step == "officers"


def test_it_refuses_the_same_officer_twice(filer, unit, officers):
    draft = _start(filer, unit)
    response = _post(
        filer, draft, "officers", _officers((officers[0], "handler"), (officers[0], "approver"))
    )
    assert response.context["form"].non_form_errors() == [str(cases_errors.DUPLICATE_OFFICER)]
    draft.refresh_from_db()
    assert draft.step == "officers"


def test_it_refuses_an_officer_of_another_unit(filer, unit, officers):
    stranger = OfficerFactory(name="外单位人员", unit=UnitFactory())
    draft = _start(filer, unit)
    response = _post(filer, draft, "officers", _officers((stranger, "handler")))
    errors = response.context["form"].forms[0].errors["officer"]
    assert errors == [str(cases_errors.OFFICER_OUTSIDE_UNIT_OR_GONE)]
    assert "外单位人员" not in response.content.decode()


def test_an_officer_row_needs_a_part(filer, unit, officers):
    draft = _start(filer, unit)
    data = _officers((officers[0], ""))
    response = _post(filer, draft, "officers", data)
    assert response.context["form"].forms[0].errors["part"] == ["这个字段是必填项。"]


def test_another_officer_row_can_be_added(filer, unit, officers):
    draft = _start(filer, unit)
    response = _post(filer, draft, "officers", _officers((officers[0], "handler")), "add_row")
    assert response.url == _url(draft, "officers")
    page = filer.get(response.url)
    assert page.context["form"].total_form_count() == 4


# --- step 3: allegation and claims ---------------------------------------------------------


def test_the_allegation_is_required_and_no_case_is_opened_without_it(filer, unit, officers):
    draft = _start(filer, unit)
    _post(filer, draft, "officers", _officers((officers[0], "handler")))
    response = _post(filer, draft, "allegation", _allegation(allegation=""))
    assert response.context["form"].errors["allegation"] == ["这个字段是必填项。"]
    assert not Case.objects.exists()


def test_it_refuses_an_unknown_clause(filer, unit, officers):
    draft = _start(filer, unit)
    _post(filer, draft, "officers", _officers((officers[0], "handler")))
    response = _post(filer, draft, "allegation", _allegation({officers[0]: ["6.4", "99.9"]}))
    assert response.status_code == 200
    errors = response.context["form"].errors[f"claims-{officers[0].pk}"]
    assert errors == [cases_errors.CLAUSES_OUTSIDE_REGULATION % {"refs": "99.9"}]
    assert cases_errors.CLAUSES_OUTSIDE_REGULATION % {"refs": "99.9"} in response.content.decode()
    assert not Case.objects.exists()


def test_a_valid_allegation_opens_the_draft_case_with_officers_and_claims(
    filer, unit, officers, inspector
):
    draft = _through_allegation(filer, unit, officers, {officers[0]: ["6.4"]})
    case = draft.case
    assert case.state == CaseState.DRAFT and case.number is None
    assert case.created_by == inspector
    assert [s.officer for s in case.subject_officers.all()] == [officers[0]]
    assert list(case.clause_claims.values_list("clause_ref", flat=True)) == ["6.4"]


def test_posting_the_allegation_again_updates_the_same_case(filer, unit, officers):
    draft = _through_allegation(filer, unit, officers, {officers[0]: ["6.4"]})
    _post(filer, draft, "allegation", _allegation({officers[0]: ["6.1", "6.4"]}, disputed="on"))
    case = Case.objects.get()
    assert case.disputed is True
    assert sorted(case.clause_claims.values_list("clause_ref", flat=True)) == ["6.1", "6.4"]


def test_changing_an_earlier_step_updates_the_draft_case_with_an_audit_event(filer, unit, officers):
    draft = _through_allegation(filer, unit, officers)
    _post(filer, draft, "officers", _officers((officers[0], "approver"), (officers[1], "handler")))
    _post(filer, draft, "incident", _incident(unit, incident_place="泰安市岱岳区"))
    case = Case.objects.get()
    assert case.incident_place == "泰安市岱岳区"
    parts = dict(case.subject_officers.values_list("officer__name", "part"))
    assert parts == {"张执法": "approver", "刘执法": "handler"}
    updates = AuditEvent.objects.filter(case=case, event_type="case_updated")
    assert updates.count() == 2


def test_the_unit_cannot_change_once_the_case_is_opened(filer, unit, officers, inspector):
    second = UnitFactory()
    inspector.units.add(second)
    draft = _through_allegation(filer, unit, officers)
    _post(filer, draft, "incident", _incident(second))
    assert Case.objects.get().unit == unit


# --- step 4: evidence ----------------------------------------------------------------------


def test_an_upload_with_the_page_script_answers_in_json(filer, unit, officers):
    draft = _through_allegation(filer, unit, officers)
    response = _upload(filer, draft, SimpleUploadedFile("记录.pdf", PDF_BYTES))
    assert response.status_code == 200
    answer = response.json()
    assert answer["ok"] is True and "记录.pdf" in answer["item"]
    evidence = Evidence.objects.get()
    assert evidence.case == draft.case and evidence.content_type == "application/pdf"


def test_an_upload_without_the_script_comes_back_to_the_step(filer, unit, officers):
    draft = _through_allegation(filer, unit, officers)
    response = _upload(filer, draft, SimpleUploadedFile("记录.pdf", PDF_BYTES), xhr=False)
    assert response.url == _url(draft, "evidence")
    assert "记录.pdf" in filer.get(response.url).content.decode()


def test_a_too_large_file_is_refused_and_nothing_is_stored(filer, unit, officers, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    draft = _through_allegation(filer, unit, officers)
    events = AuditEvent.objects.count()
    response = _upload(filer, draft, SimpleUploadedFile("大.pdf", PDF_BYTES + b"0" * 2000))
    assert response.status_code == 400
    # 2 kB against a 1 kB limit: both round to 0 in MB.
    assert response.json()["errors"]["file"] == [
        cases_errors.FILE_TOO_LARGE % {"size": "0.0", "limit": "0"}
    ]
    assert not Evidence.objects.exists()
    assert _stored_files(settings) == []
    assert AuditEvent.objects.count() == events


def test_a_file_of_a_type_not_accepted_is_refused(filer, unit, officers, settings):
    draft = _through_allegation(filer, unit, officers)
    # Named .pdf, but the content says otherwise: the server goes by content.
    response = _upload(filer, draft, SimpleUploadedFile("伪装.pdf", b"MZ\x90\x00 not a pdf"))
    assert response.status_code == 400
    assert response.json()["errors"]["file"] == [
        cases_errors.FILE_TYPE_NOT_ACCEPTED % {"types": "PDF、JPEG、PNG、Word、Excel、MP4、MP3"}
    ]
    assert not Evidence.objects.exists()
    assert _stored_files(settings) == []


def test_an_empty_file_is_refused(filer, unit, officers):
    draft = _through_allegation(filer, unit, officers)
    response = _upload(filer, draft, SimpleUploadedFile("空.pdf", b""), xhr=False)
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert not Evidence.objects.exists()


def test_an_upload_needs_a_description(filer, unit, officers):
    draft = _through_allegation(filer, unit, officers)
    response = _upload(filer, draft, SimpleUploadedFile("记录.pdf", PDF_BYTES), description="")
    assert response.json()["errors"]["description"] == ["这个字段是必填项。"]
    assert not Evidence.objects.exists()


def test_the_page_tells_the_script_the_limit_and_the_accepted_kinds(filer, unit, officers):
    draft = _through_allegation(filer, unit, officers)
    page = filer.get(_url(draft, "evidence")).content.decode()
    assert 'data-max-bytes="52428800"' in page
    assert 'accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.mp4,.mp3"' in page
    assert "js/intake.js" in page


def test_the_browser_list_of_kinds_matches_what_the_server_accepts():
    assert set(EVIDENCE_EXTENSIONS) == set(ALLOWED_TYPES)


# --- step 5: review and submit -------------------------------------------------------------


def test_the_review_shows_everything_entered_with_links_back(filer, unit, officers):
    draft = _through_allegation(filer, unit, officers, {officers[0]: ["6.4"]})
    _upload(filer, draft, SimpleUploadedFile("检查记录.pdf", PDF_BYTES))
    _post(filer, draft, "evidence", {}, "next")
    response = filer.get(_url(draft, "review"))
    content = response.content.decode()
    for text in (
        SUMMARY,
        "泰安市泰山区",
        "食品",
        "投诉举报",
        "张执法（承办人）",
        "6.4",
        "检查记录.pdf",
    ):
        assert text in content, text
    for step in ("incident", "officers", "allegation", "evidence"):
        assert f'href="{_url(draft, step)}"' in content, step


def test_submit_registers_exactly_one_case_with_officers_claims_and_evidence(
    filer, unit, officers, django_capture_on_commit_callbacks
):
    draft = _through_allegation(filer, unit, officers, {officers[0]: ["6.4"]})
    _upload(filer, draft, SimpleUploadedFile("检查记录.pdf", PDF_BYTES))
    _post(filer, draft, "evidence", {}, "next")
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(filer, draft, "review", {}, "submit")
    case = Case.objects.get()
    assert response.url == reverse("cases:detail", args=[case.pk])
    assert case.state == CaseState.REGISTERED
    assert case.number == f"泰市监〔{case.year}〕1号"
    assert case.subject_officers.get().officer == officers[0]
    assert ClauseClaim.objects.get(case=case).clause_ref == "6.4"
    assert case.evidence.get().original_name == "检查记录.pdf"
    assert not IntakeDraft.objects.exists()
    page = filer.get(response.url).content.decode()
    assert case.number in page and "案件已登记立案" in page


def test_submitting_twice_registers_once(filer, unit, officers):
    draft = _through_allegation(filer, unit, officers)
    _post(filer, draft, "review", {}, "submit")
    assert _post(filer, draft, "review", {}, "submit").status_code == 404
    assert Case.objects.get().state == CaseState.REGISTERED
    assert AuditEvent.objects.filter(event_type="case_transitioned").count() == 1


def test_without_the_register_permission_submit_leaves_the_case_ready(
    filer, unit, officers, monkeypatch
):
    draft = _through_allegation(filer, unit, officers)
    monkeypatch.setitem(rules.permissions.permissions, "cases.register_case", rules.always_false)
    assert "您没有登记立案的权限" in filer.get(_url(draft, "review")).content.decode()
    response = _post(filer, draft, "review", {}, "submit")
    case = Case.objects.get()
    assert response.url == reverse("cases:detail", args=[case.pk])
    assert case.state == CaseState.DRAFT
    assert not IntakeDraft.objects.exists()
    assert "待有权限的承办人登记立案" in filer.get(response.url).content.decode()


def test_the_review_is_not_reachable_before_the_case_is_opened(filer, unit, officers):
    draft = _start(filer, unit)
    _post(filer, draft, "officers", _officers((officers[0], "handler")))
    response = _post(filer, draft, "review", {}, "submit")
    assert response.url == _url(draft, "allegation")
    assert not Case.objects.exists()


# --- drafts: resuming, privacy, discarding ---------------------------------------------------


def test_a_draft_resumes_in_a_new_session_where_it_was_left(client, inspector, unit, officers):
    client.force_login(inspector)
    draft = _start(client, unit)
    client.logout()

    client.force_login(inspector)
    listing = client.get(reverse("cases:intake_drafts")).content.decode()
    assert SUMMARY[:20] in listing and "涉及的执法人员" in listing
    response = client.get(reverse("cases:intake_resume", args=[draft.pk]))
    assert response.url == _url(draft, "officers")
    assert client.get(response.url).status_code == 200
    incident = client.get(_url(draft, "incident")).content.decode()
    assert SUMMARY in incident and 'value="泰安市泰山区"' in incident


def test_the_create_page_points_to_open_drafts(filer, unit):
    _start(filer, unit)
    page = filer.get(reverse("cases:create")).content.decode()
    assert "您有 1 份未完成的登记草稿。" in page


def test_another_user_can_neither_see_nor_resume_my_draft(client, inspector, unit, officers):
    client.force_login(inspector)
    draft = _start(client, unit)
    colleague = UserFactory(units=[unit], roles=[Role.INSPECTOR])
    client.force_login(colleague)
    assert SUMMARY[:20] not in client.get(reverse("cases:intake_drafts")).content.decode()
    assert client.get(reverse("cases:intake_resume", args=[draft.pk])).status_code == 404
    assert client.get(_url(draft, "incident")).status_code == 404
    assert _post(client, draft, "officers", _officers((officers[0], "handler"))).status_code == 404
    assert client.post(reverse("cases:intake_discard", args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.step == "officers" and "officers" not in draft.data


def test_discarding_asks_first_then_removes_the_draft(filer, unit):
    draft = _start(filer, unit)
    url = reverse("cases:intake_discard", args=[draft.pk])
    assert "确认放弃" in filer.get(url).content.decode()
    assert IntakeDraft.objects.exists()
    response = filer.post(url)
    assert response.url == reverse("cases:intake_drafts")
    assert not IntakeDraft.objects.exists()


def test_discarding_a_draft_withdraws_the_case_opened_for_it(filer, unit, officers):
    draft = _through_allegation(filer, unit, officers)
    filer.post(reverse("cases:intake_discard", args=[draft.pk]))
    assert not IntakeDraft.objects.exists()
    case = Case.objects.get()
    assert case.state == CaseState.WITHDRAWN
    event = AuditEvent.objects.filter(case=case, event_type="case_transitioned").get()
    assert event.data["reason"] == "登记人放弃登记草稿"


def test_a_draft_whose_case_was_registered_elsewhere_is_finished(filer, unit, officers, inspector):
    draft = _through_allegation(filer, unit, officers)
    case_transition(actor=inspector, case_id=draft.case_id, name="register")
    assert filer.get(_url(draft, "review")).status_code == 404
    assert "尚未填写" not in filer.get(reverse("cases:intake_drafts")).content.decode()
    assert filer.get(reverse("cases:intake_drafts")).context["drafts"].count() == 0
