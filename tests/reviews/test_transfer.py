"""Transfer to the discipline-inspection and supervision organs (Lianyungang
art. 13): only for an adopted determination of transfer, with a transfer
letter listing the case file; the organs' sanction recorded once, after which
the bureau gives no second sanction or measure for the same act; and the
written opinion on the officers' duties when the organs intervene (Tai'an
art. 9, Lianyungang art. 14)."""

import datetime
import hashlib
import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEventType as E
from cases.models import Case
from cases.workflow import CaseState
from deliberation.services import vote_close
from documents.formatting import chinese_date
from documents.models import Document
from filing import errors as filing_errors
from filing.services.transfer import (
    DutyOpinionInput,
    duty_opinion_record,
    organ_sanction_record,
    transfer_case_file,
    transfer_record,
)
from tests.conftest import built_once_per_module, for_one_test
from tests.documents.pdf import fonts_of, page_size_mm, read_pdf, text_of
from tests.factories import DisciplineBodyFactory
from tests.flows import (
    convene,
    deliberation_facts,
    event_types,
    lianyungang_case_at,
    new_events,
    nothing_changes,
    person,
    propose,
    taian_case_at,
    vote_all,
)

pytestmark = pytest.mark.django_db

TRANSFER_REASONS = "张执法在检查中收受当事人财物，涉嫌职务违法，依照第十三条移送。"


def _flat(text: str) -> str:
    return "".join(text.split())


def transferred(*, officers: int = 1, reject_others: bool = False):
    """A Lianyungang case whose first officer's adopted determination is
    transfer to the organs; the others get the scenario's (mitigated), voted
    down when `reject_others` (so the case stays in deliberation)."""
    flow = lianyungang_case_at(CaseState.DELIBERATION, officers=officers)
    deliberation_facts(flow)
    convene(flow)
    first = propose(
        flow,
        outcome="transferred",
        measure="",
        cited_clauses=[],
        reasons=TRANSFER_REASONS,
        departure_reason="涉嫌职务违法，应移送纪检监察机关。",
    )
    vote_all(flow, first)
    for subject_officer in flow.subject_officers[1:]:
        determination = propose(flow, subject_officer)
        positions = {m: "disagree" for m in flow.staff.meeting_members} if reject_others else None
        vote_all(flow, determination, positions)
    vote_close(actor=flow.staff.chair, meeting=flow.meeting)
    flow.reload()
    return flow


def _transfer(flow, **changes):
    values = {
        "actor": flow.staff.inspector,
        "determination": flow.determinations[0],
        "transferred_on": timezone.localdate(),
        "discipline_body": flow.case.unit.discipline_body,
        "note": "随函移送案卷材料一套。",
        **changes,
    }
    return transfer_record(**values)


_transferred_built = built_once_per_module(transferred)


@pytest.fixture
def flow(_transferred_built, settings):
    return for_one_test(_transferred_built, settings)


def _second_officer_to_decide():
    """The first officer's transfer adopted, the second officer still to
    decide (two tests start from it)."""
    return transferred(officers=2, reject_others=True)


_second_officer_built = built_once_per_module(_second_officer_to_decide)


@pytest.fixture
def second_officer_to_decide(_second_officer_built, settings):
    return for_one_test(_second_officer_built, settings)


# --- transfer -----------------------------------------------------------------------------


def test_an_adopted_transfer_determination_is_transferred_with_its_letter(
    flow, django_capture_on_commit_callbacks
):
    assert flow.state == CaseState.DECIDED
    with new_events() as events, django_capture_on_commit_callbacks(execute=True):
        transfer = _transfer(flow)
    assert event_types(events) == [
        E.DOCUMENT_REQUESTED,
        E.TRANSFER_RECORDED,
        E.DOCUMENT_GENERATED,
    ]
    assert (transfer.subject_officer, transfer.determination) == (
        flow.officer,
        flow.determinations[0],
    )
    assert transfer.organ_name == flow.case.unit.discipline_body.name
    letter = Document.objects.get(pk=transfer.letter_id)
    assert (letter.kind, letter.options, letter.status) == (
        "transfer_letter",
        {"subject_officer_id": flow.officer.pk},
        "done",
    )


@pytest.mark.real_pdf  # reads the PDF's text
def test_the_transfer_letter_pdf(flow, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        transfer = _transfer(flow)
    letter = Document.objects.get(pk=transfer.letter_id)
    reader = read_pdf(letter.file.read())
    width, height = page_size_mm(reader)
    assert (round(width), round(height)) == (210, 297)
    assert all(font.embedded for font in fonts_of(reader))
    text = _flat(text_of(reader))
    case = flow.case
    for expected in (
        "移送",
        "张执法",
        case.number,
        transfer.organ_name,
        "涉嫌违犯党纪或者涉嫌职务违法、职务犯罪",
        "应当依照有关规定及时移送纪检监察机关处理",  # art. 13 quoted
        TRANSFER_REASONS,
        "随函移送案卷材料一套。",
        "附件：1．立案登记表",  # the case file
        "调查报告",
        "集体研究纪要",
        flow.officer.officer.certificate_number,
    ):
        assert _flat(expected) in text, expected


@pytest.mark.real_pdf  # reads the PDF's text
def test_the_case_file_goes_with_the_letter_as_one_checked_zip(
    flow, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        transfer = _transfer(flow)
    with new_events() as events:
        bundle = transfer_case_file(actor=flow.staff.inspector, transfer=transfer)
    archive = zipfile.ZipFile(io.BytesIO(bundle.content))
    names = archive.namelist()
    assert names[0] == "01-移送函.pdf"
    assert {
        "02-立案登记表.pdf",
        "03-调查报告.pdf",
        "05-集体研究纪要.pdf",
        "06-责任认定决定书.pdf",
    } <= set(names)
    assert "04-专家组书面论证意见.pdf" not in names  # this case had no expert review
    assert {"case.json", "manifest.json"} <= set(names)
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["case_number"] == flow.case.number
    assert manifest["transferred_to"] == transfer.organ_name
    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["name"])).hexdigest() == entry["sha256"]
    assert {entry["name"] for entry in manifest["files"]} == set(names) - {"manifest.json"}
    letter = read_pdf(archive.read("01-移送函.pdf"))
    assert flow.officer.officer.name in _flat(text_of(letter))
    assert event_types(events) == [E.TRANSFER_CASE_FILE_DOWNLOADED]
    assert events[0].data["sha256"] == hashlib.sha256(bundle.content).hexdigest()
    assert bundle.filename.endswith("移送案卷.zip")


def test_only_those_who_handle_transfers_download_the_case_file(
    flow, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        transfer = _transfer(flow)
    expert = person(flow.case.unit, Role.EXPERT, "钱专家")
    with nothing_changes(flow.case), pytest.raises(PermissionDenied):
        transfer_case_file(actor=expert, transfer=transfer)


def test_the_case_file_downloads_from_the_transfer_page(
    client, flow, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        transfer = _transfer(flow)
    url = reverse("filing:transfer_case_file", args=[flow.case.pk, transfer.pk])
    client.force_login(flow.staff.inspector)
    assert url in client.get(reverse("filing:transfer", args=[flow.case.pk])).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert "01-移送函.pdf" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    # An expert off the case's panel reads nothing of it (need-to-know).
    client.force_login(person(flow.case.unit, Role.EXPERT, "钱专家"))
    assert client.get(reverse("filing:transfer", args=[flow.case.pk])).status_code == 404
    assert client.get(url).status_code == 404


def test_a_determination_that_is_not_transfer_is_refused():
    flow = lianyungang_case_at(CaseState.DECIDED)
    determination = flow.case.determinations.get()
    assert determination.outcome == "mitigated"
    with nothing_changes(flow.case), pytest.raises(ValidationError) as refused:
        _transfer(flow, determination=determination)
    assert refused.value.messages == [
        filing_errors.TRANSFER_NEEDS_ADOPTED_TRANSFER
        % {
            "outcome": determination.get_outcome_display(),
            "status": determination.get_status_display(),
        }
    ]
    assert not flow.case.transfers.exists()
    assert not flow.case.documents.filter(kind="transfer_letter").exists()


def test_a_rejected_transfer_determination_is_refused():
    flow = lianyungang_case_at(CaseState.DELIBERATION)
    deliberation_facts(flow)
    convene(flow)
    determination = propose(
        flow,
        outcome="transferred",
        measure="",
        cited_clauses=[],
        departure_reason="涉嫌职务违法。",
    )
    vote_all(flow, determination, {m: "disagree" for m in flow.staff.meeting_members})
    vote_close(actor=flow.staff.chair, meeting=flow.meeting)
    with nothing_changes(flow.case), pytest.raises(ValidationError) as refused:
        _transfer(flow)
    assert "未获通过" in refused.value.messages[0]


def test_a_transfer_is_made_once(flow):
    _transfer(flow)
    with nothing_changes(flow.case), pytest.raises(ValidationError) as refused:
        _transfer(flow)
    assert refused.value.messages == [str(filing_errors.ALREADY_TRANSFERRED)]
    assert flow.case.transfers.count() == 1


def test_a_transfer_names_the_organ_and_a_date_not_in_the_future(flow):
    with nothing_changes(flow.case), pytest.raises(ValidationError) as refused:
        _transfer(flow, discipline_body=None, organ_name="  ")
    assert refused.value.message_dict == {"organ_name": [str(filing_errors.ORGAN_MISSING)]}
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with nothing_changes(flow.case), pytest.raises(ValidationError) as refused:
        _transfer(flow, transferred_on=tomorrow)
    assert refused.value.message_dict == {"transferred_on": [str(filing_errors.DATE_IN_FUTURE)]}
    with nothing_changes(flow.case), pytest.raises(ValidationError) as refused:
        _transfer(flow, transferred_on=datetime.date(2020, 1, 1))
    assert refused.value.message_dict == {
        "transferred_on": [str(filing_errors.TRANSFER_BEFORE_DECISION)]
    }


def test_an_organ_may_be_named_in_free_text(flow):
    transfer = _transfer(flow, discipline_body=None, organ_name="连云港市海州区人民检察院")
    assert (transfer.discipline_body, transfer.organ_name) == (None, "连云港市海州区人民检察院")


def test_only_the_case_office_and_leadership_transfer(flow):
    expert = person(flow.case.unit, Role.EXPERT, "赵专家")
    outsider = person(None, Role.INSPECTOR, "外单位承办人")
    for actor in (expert, outsider):
        with nothing_changes(flow.case), pytest.raises(PermissionDenied):
            _transfer(flow, actor=actor)
    assert _transfer(flow, actor=flow.staff.leaders[0]).recorded_by == flow.staff.leaders[0]


# --- the organs' sanction: no second sanction ---------------------------------------------------


def _sanction(transfer, actor, **changes):
    values = {
        "actor": actor,
        "transfer": transfer,
        "decided_on": timezone.localdate(),
        "sanction": "政务警告",
        "reference": "连纪〔2026〕12号",
        **changes,
    }
    return organ_sanction_record(**values)


def test_the_organs_sanction_is_recorded_once(flow):
    transfer = _transfer(flow)
    with new_events() as events:
        record = _sanction(transfer, flow.staff.inspector)
    assert event_types(events) == [E.ORGAN_SANCTION_RECORDED]
    # The organ defaults to the one the matter was sent to.
    assert (record.organ_name, record.sanction, record.reference) == (
        transfer.organ_name,
        "政务警告",
        "连纪〔2026〕12号",
    )
    with nothing_changes(flow.case), pytest.raises(ValidationError) as refused:
        _sanction(transfer, flow.staff.inspector, sanction="政务记过")
    assert refused.value.messages == [
        filing_errors.SANCTION_ALREADY_RECORDED
        % {
            "organ": transfer.organ_name,
            "officer": transfer.subject_officer.officer.name,
            "sanction": "政务警告",
        }
    ]
    assert flow.case.organ_sanctions.get().sanction == "政务警告"


def test_a_sanction_needs_its_content_and_a_date_after_the_transfer(flow):
    transfer = _transfer(flow)
    with nothing_changes(flow.case), pytest.raises(ValidationError) as refused:
        _sanction(transfer, flow.staff.inspector, sanction=" ")
    assert refused.value.message_dict == {"sanction": [str(filing_errors.SANCTION_MISSING)]}
    with nothing_changes(flow.case), pytest.raises(ValidationError) as refused:
        _sanction(
            transfer,
            flow.staff.inspector,
            decided_on=transfer.transferred_on - datetime.timedelta(days=1),
        )
    assert refused.value.message_dict == {
        "decided_on": [str(filing_errors.SANCTION_BEFORE_TRANSFER)]
    }


def test_after_the_organs_sanction_the_bureau_records_no_measure_in_a_later_meeting(
    second_officer_to_decide,
):
    flow = second_officer_to_decide
    assert flow.state == CaseState.DELIBERATION  # the second officer is still to decide
    first = flow.officer
    transfer = _transfer(flow)
    sanction = _sanction(transfer, flow.staff.inspector)
    convene(flow)
    for changes in (
        {"outcome": "mitigated", "measure": "criticism_education"},
        {"outcome": "liable", "measure": "", "cited_clauses": [], "departure_reason": "x"},
    ):
        with nothing_changes(flow.case), pytest.raises(ValidationError) as refused:
            propose(flow, first, **changes)
        assert refused.value.messages == [
            filing_errors.NO_SECOND_SANCTION
            % {
                "organ": transfer.organ_name,
                "date": chinese_date(sanction.decided_on),
                "officer": first.officer.name,
                "sanction": "政务警告",
            }
        ]
    # A determination without a sanction is still possible, and the other
    # officer (not sanctioned by the organs) may get a measure.
    propose(flow, first, outcome="no_fault", measure="", cited_clauses=[], departure_reason="x")
    assert propose(flow, flow.subject_officers[1]).measure == "criticism_education"


def test_without_the_organs_sanction_a_later_measure_is_allowed(second_officer_to_decide):
    flow = second_officer_to_decide
    _transfer(flow)
    convene(flow)
    determination = propose(flow, flow.officer, measure="criticism_education")
    assert determination.measure == "criticism_education"


# --- the written opinion for the intervening organs --------------------------------------------


def _intervened(flow):
    Case.objects.filter(pk=flow.case.pk).update(organs_intervened=True)
    flow.reload()
    return flow


def _opinion(flow, **changes):
    values = {
        "actor": flow.staff.inspector,
        "case": flow.case,
        "issued_on": timezone.localdate(),
        "signed_by": flow.staff.chair,
        "organ_name": "泰安市纪委监委第五审查调查室",
        "basis": "组织法制、业务科室人员论证。",
        "items": [
            DutyOpinionInput(
                subject_officer=so,
                duty_performed="performed",
                fault="none",
                reasoning="已按年度检查计划履行检查职责。",
            )
            for so in flow.subject_officers
        ],
        **changes,
    }
    return duty_opinion_record(**values)


@pytest.mark.real_pdf  # reads the PDF's text
def test_the_duty_opinion_is_given_when_the_organs_intervene(django_capture_on_commit_callbacks):
    flow = _intervened(taian_case_at(CaseState.INVESTIGATING))
    with new_events() as events, django_capture_on_commit_callbacks(execute=True):
        opinion = _opinion(flow)
    assert event_types(events) == [
        E.DOCUMENT_REQUESTED,
        E.DUTY_OPINION_RECORDED,
        E.DOCUMENT_GENERATED,
    ]
    item = opinion.items.get()
    assert (item.duty_performed, item.fault) == ("performed", "none")
    document = Document.objects.get(pk=opinion.document_id)
    assert (document.kind, document.options) == ("duty_opinion", {"opinion_id": opinion.pk})
    reader = read_pdf(document.file.read())
    width, height = page_size_mm(reader)
    assert (round(width), round(height)) == (210, 297)
    assert all(font.embedded for font in fonts_of(reader))
    text = _flat(text_of(reader))
    for expected in (
        "依法履职情况的书面意见",
        flow.case.number,
        "泰安市纪委监委第五审查调查室",
        "张执法",
        "张执法已依法履行职责，不存在行政执法过错行为",
        "不存在行政执法过错行为",
        "已按年度检查计划履行检查职责。",
        "签发人：" + flow.staff.chair.get_full_name(),
        "提供论证意见",  # Tai'an art. 9 para. 3 quoted
        "组织法制、业务科室人员论证。",
    ):
        assert _flat(expected) in text, expected


def test_no_duty_opinion_without_intervention():
    flow = taian_case_at(CaseState.INVESTIGATING)
    with nothing_changes(flow.case), pytest.raises(ValidationError) as refused:
        _opinion(flow)
    assert refused.value.messages == [str(filing_errors.ORGANS_NOT_INTERVENED)]
    assert not flow.case.duty_opinions.exists()


def test_the_duty_opinion_covers_every_officer_and_is_signed_by_a_leader():
    flow = _intervened(taian_case_at(CaseState.INVESTIGATING, officers=2))
    with nothing_changes(flow.case), pytest.raises(ValidationError) as refused:
        _opinion(
            flow,
            items=[
                DutyOpinionInput(
                    subject_officer=flow.subject_officers[0],
                    duty_performed="performed",
                    fault="none",
                    reasoning="已履职。",
                )
            ],
        )
    missing = flow.subject_officers[1].officer.name
    assert refused.value.messages == [filing_errors.OPINIONS_MISSING % {"names": missing}]
    with nothing_changes(flow.case), pytest.raises(ValidationError) as refused:
        _opinion(flow, signed_by=flow.staff.investigator)
    assert refused.value.message_dict == {"signed_by": [str(filing_errors.SIGNER_NOT_LEADERSHIP)]}
    assert not flow.case.duty_opinions.exists()


# --- the pages ------------------------------------------------------------------------------


def test_the_page_offers_the_transfer_form_to_the_inspector(client, flow):
    client.force_login(flow.staff.inspector)
    response = client.get(reverse("filing:transfer", args=[flow.case.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "办理移送并生成移送函" in content
    assert "应当依照有关规定及时移送纪检监察机关处理" in content


def test_an_expert_off_the_panel_reads_nothing_and_cannot_transfer(client, flow):
    expert = person(flow.case.unit, Role.EXPERT, "赵专家")
    client.force_login(expert)
    response = client.get(reverse("filing:transfer", args=[flow.case.pk]))
    assert response.status_code == 404
    url = reverse("filing:transfer_record", args=[flow.case.pk, flow.determinations[0].pk])
    assert client.post(url, {}).status_code == 404
    assert not flow.case.transfers.exists()


def test_another_units_inspector_gets_404(client, flow):
    client.force_login(person(None, Role.INSPECTOR, "外单位承办人"))
    assert client.get(reverse("filing:transfer", args=[flow.case.pk])).status_code == 404


def test_the_transfer_form_records_and_redirects(client, flow):
    client.force_login(flow.staff.inspector)
    determination = flow.determinations[0]
    url = reverse("filing:transfer_record", args=[flow.case.pk, determination.pk])
    assert client.get(url).status_code == 405
    prefix = f"transfer-{determination.pk}"
    response = client.post(
        url,
        {
            f"{prefix}-discipline_body": "",
            f"{prefix}-organ_name": "连云港市纪委监委",
            f"{prefix}-transferred_on": timezone.localdate().isoformat(),
            f"{prefix}-note": "",
        },
    )
    assert response.status_code == 302
    assert flow.case.transfers.get().organ_name == "连云港市纪委监委"
    page = client.get(response.url).content.decode()
    assert "连云港市纪委监委" in page and "记录处分情况" in page


def test_a_refused_transfer_shows_the_error_next_to_the_form(client, flow):
    client.force_login(flow.staff.inspector)
    determination = flow.determinations[0]
    url = reverse("filing:transfer_record", args=[flow.case.pk, determination.pk])
    prefix = f"transfer-{determination.pk}"
    response = client.post(url, {f"{prefix}-transferred_on": timezone.localdate().isoformat()})
    assert response.status_code == 200
    assert str(filing_errors.ORGAN_MISSING) in response.content.decode()
    assert not flow.case.transfers.exists()


def test_the_sanction_and_opinion_forms_record(client, flow):
    flow = _intervened(flow)
    client.force_login(flow.staff.inspector)
    transfer = _transfer(flow)
    response = client.post(
        reverse("filing:organ_sanction", args=[flow.case.pk, transfer.pk]),
        {
            f"sanction-{transfer.pk}-decided_on": timezone.localdate().isoformat(),
            f"sanction-{transfer.pk}-sanction": "政务警告",
            f"sanction-{transfer.pk}-reference": "",
        },
    )
    assert response.status_code == 302
    assert flow.case.organ_sanctions.get().organ_name == transfer.organ_name
    so = flow.officer
    response = client.post(
        reverse("filing:duty_opinion", args=[flow.case.pk]),
        {
            "opinion-organ_name": "连云港市纪委监委",
            "opinion-issued_on": timezone.localdate().isoformat(),
            "opinion-signed_by": flow.staff.chair.pk,
            "opinion-basis": "",
            f"opinion-duty-{so.pk}": "not_performed",
            f"opinion-fault-{so.pk}": "fault",
            f"opinion-reasoning-{so.pk}": "收受财物，未依法履职。",
        },
    )
    assert response.status_code == 302
    item = flow.case.duty_opinions.get().items.get()
    assert (item.duty_performed, item.fault) == ("not_performed", "fault")
    page = client.get(reverse("filing:transfer", args=[flow.case.pk])).content.decode()
    assert "政务警告" in page and "收受财物，未依法履职。" in page


def test_the_case_page_shows_the_transfer_panel(client, flow):
    transfer = _transfer(flow)
    _sanction(transfer, flow.staff.inspector)
    client.force_login(flow.staff.inspector)
    content = client.get(reverse("cases:detail", args=[flow.case.pk])).content.decode()
    assert "认定移送纪检监察机关" in content
    assert f"移送{transfer.organ_name}" in content
    assert "已作出处分：政务警告" in content
    assert reverse("filing:transfer", args=[flow.case.pk]) in content


def test_the_case_page_has_no_transfer_panel_for_a_taian_case(client):
    flow = taian_case_at(CaseState.DECIDED)
    client.force_login(flow.staff.inspector)
    content = client.get(reverse("cases:detail", args=[flow.case.pk])).content.decode()
    assert 'id="organs"' not in content


def test_the_known_bodies_are_offered_the_units_own_preselected(client, flow):
    DisciplineBodyFactory(name="另一个纪检监察组")
    client.force_login(flow.staff.inspector)
    content = client.get(reverse("filing:transfer", args=[flow.case.pk])).content.decode()
    assert "另一个纪检监察组" in content
    assert f'value="{flow.case.unit.discipline_body_id}" selected' in content
