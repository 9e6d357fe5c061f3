"""The investigation report (investigation/services.py): saved in
versions, a stale edit refused with its message and nothing saved, signed off
by the lead investigator on the version they read, frozen once signed."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from audit.models import AuditEventType
from cases import errors as cases_errors
from cases.workflow import CaseState
from investigation import errors as investigation_errors
from investigation.models import InvestigationReport, ReportConclusion
from investigation.services import (
    ConclusionInput,
    StaleEdit,
    report_save,
    report_sign_off,
)
from tests import flows
from tests.flows import details, new_events, nothing_changes

pytestmark = pytest.mark.django_db


def stale(current, yours):
    return investigation_errors.STALE_REPORT % {"current": current, "yours": yours}


@pytest.fixture
def flow(unit):
    flow = flows.taian_case_at(CaseState.INVESTIGATING, unit=unit, officers=2)
    flows.find_facts(flow)
    return flow


def save(
    flow,
    base_version,
    summary="调查认定的事实……",
    conclusion="调查结论……",
    conclusions=None,
    actor=None,
):
    first, second = flow.subject_officers
    return report_save(
        actor=actor or flow.staff.investigator,
        case=flow.case,
        findings_summary=summary,
        conclusion=conclusion,
        conclusions=conclusions
        if conclusions is not None
        else [
            ConclusionInput(first, "6.4", "satisfied", "按计划检查"),
            ConclusionInput(second, "6.4", "undetermined", "检查记录缺失"),
        ],
        base_version=base_version,
    )


def test_the_first_save_creates_version_1_with_its_clause_conclusions(flow):
    with new_events() as events:
        report = save(flow, None)
    assert (report.version, report.updated_by, report.signed_off_at) == (
        1,
        flow.staff.investigator,
        None,
    )
    first, second = flow.subject_officers
    assert list(
        report.clause_conclusions.values_list("subject_officer", "clause_ref", "conclusion")
    ) == [
        (first.pk, "6.4", "satisfied"),
        (second.pk, "6.4", "undetermined"),
    ]
    [event] = events
    assert event.event_type == AuditEventType.REPORT_SAVED
    assert event.data["before"] is None
    assert event.data["after"]["version"] == 1
    assert event.data["after"]["clauses"] == [
        [first.pk, "6.4", "satisfied"],
        [second.pk, "6.4", "undetermined"],
    ]
    assert event.summary == "保存调查报告第1版"


def test_base_version_0_also_creates_the_first_version(flow):
    assert save(flow, 0).version == 1


def test_each_save_from_the_current_version_makes_the_next_one(flow):
    save(flow, None)
    first = flow.subject_officers[0]
    with new_events() as events:
        report = save(
            flow, 1, summary="补充调查后……", conclusions=[ConclusionInput(first, "6.5", "not_met")]
        )
    assert (report.version, report.findings_summary) == (2, "补充调查后……")
    # The clause conclusions are replaced, not added to.
    assert list(ReportConclusion.objects.values_list("clause_ref", "conclusion")) == [
        ("6.5", "not_met")
    ]
    assert events[0].data["before"] == {"version": 1, "conclusion": "调查结论……"}
    assert save(flow, 2).version == 3


def test_a_stale_edit_is_refused_with_the_message_and_nothing_is_saved(flow):
    save(flow, None)
    save(flow, 1, summary="第二版")
    with nothing_changes(flow.case), pytest.raises(StaleEdit) as refused:
        save(flow, 1, summary="基于第一版的修改", conclusions=[])
    assert refused.value.message == stale(2, 1)
    assert str(refused.value) == stale(2, 1)
    report = InvestigationReport.objects.get()
    assert (report.version, report.findings_summary) == (2, "第二版")
    assert ReportConclusion.objects.count() == 2  # the conclusions were not emptied


def test_a_save_from_a_version_ahead_is_refused(flow):
    save(flow, None)
    with nothing_changes(flow.case), pytest.raises(StaleEdit) as refused:
        save(flow, 5)
    assert refused.value.message == stale(1, 5)


def test_a_first_save_claiming_an_existing_version_is_refused(flow):
    with nothing_changes(flow.case), pytest.raises(StaleEdit) as refused:
        save(flow, 3)
    assert refused.value.message == stale(0, 3)
    assert not InvestigationReport.objects.exists()


def test_a_second_first_save_is_refused_with_a_readable_message(flow):
    save(flow, None)
    with pytest.raises(StaleEdit) as refused:
        save(flow, None)
    assert refused.value.message == stale(1, 0)


def test_a_second_first_save_is_refused_and_nothing_is_saved(flow):
    save(flow, None, summary="甲的报告")
    with nothing_changes(flow.case), pytest.raises(StaleEdit):
        save(flow, None, summary="乙的报告")
    assert InvestigationReport.objects.get().findings_summary == "甲的报告"


def test_the_lead_investigator_signs_the_version_they_read(flow):
    save(flow, None)
    with new_events() as events:
        report = report_sign_off(actor=flow.staff.investigator, case=flow.case, version=1)
    assert (report.signed_off_by, report.is_signed_off) == (flow.staff.investigator, True)
    assert [e.event_type for e in events] == [AuditEventType.REPORT_SIGNED_OFF]
    assert details(events[0]) == {"version": 1}


def test_signing_a_stale_version_is_refused(flow):
    save(flow, None)
    save(flow, 1)
    with nothing_changes(flow.case), pytest.raises(StaleEdit) as refused:
        report_sign_off(actor=flow.staff.investigator, case=flow.case, version=1)
    assert refused.value.message == stale(2, 1)
    assert InvestigationReport.objects.get().signed_off_at is None


def test_a_signed_report_cannot_change_or_be_signed_again(flow):
    save(flow, None)
    report_sign_off(actor=flow.staff.investigator, case=flow.case, version=1)
    with nothing_changes(flow.case), pytest.raises(ValidationError) as refused:
        save(flow, 1, summary="签发后修改")
    assert refused.value.messages == [str(investigation_errors.REPORT_FIXED_AFTER_SIGN_OFF)]
    with nothing_changes(flow.case), pytest.raises(ValidationError) as refused:
        report_sign_off(actor=flow.staff.investigator, case=flow.case, version=1)
    assert refused.value.messages == [str(investigation_errors.REPORT_ALREADY_SIGNED_OFF)]
    assert InvestigationReport.objects.get().findings_summary == "调查认定的事实……"


def test_signing_without_a_report_is_refused(flow):
    with nothing_changes(flow.case), pytest.raises(ValidationError) as refused:
        report_sign_off(actor=flow.staff.investigator, case=flow.case, version=1)
    assert refused.value.messages == [str(investigation_errors.NO_REPORT_YET)]


@pytest.mark.parametrize(
    ("summary", "conclusion", "errors"),
    [
        ("", "结论", {"findings_summary": [str(investigation_errors.FINDINGS_MISSING)]}),
        ("事实", "  ", {"conclusion": [str(investigation_errors.CONCLUSION_MISSING)]}),
        (" \n", "", {"findings_summary": [str(investigation_errors.FINDINGS_MISSING)]}),
    ],
)
def test_findings_and_conclusion_are_required(flow, summary, conclusion, errors):
    with nothing_changes(flow.case), pytest.raises(ValidationError) as refused:
        save(flow, None, summary=summary, conclusion=conclusion)
    assert refused.value.message_dict == errors
    assert not InvestigationReport.objects.exists()


def test_clause_conclusions_are_checked(flow, unit):
    first = flow.subject_officers[0]
    other = flows.taian_case_at(CaseState.DRAFT, staff=flow.staff)
    for conclusions, message in [
        (
            [ConclusionInput(first, "8.28", "satisfied")],
            investigation_errors.CLAUSE_OUTSIDE_REGULATION % {"ref": "8.28"},
        ),
        (
            [ConclusionInput(other.officer, "6.4", "satisfied")],
            str(cases_errors.NOT_A_SUBJECT_OFFICER),
        ),
        (
            [ConclusionInput(first, "6.4", "probably")],
            str(investigation_errors.CLAUSE_CONCLUSION_INVALID),
        ),
    ]:
        with nothing_changes(flow.case), pytest.raises(ValidationError) as refused:
            save(flow, None, conclusions=conclusions)
        assert refused.value.messages == [message]
    assert not InvestigationReport.objects.exists()


@pytest.mark.parametrize(
    "state", [CaseState.REGISTERED, CaseState.EXPERT_REVIEW, CaseState.DELIBERATION]
)
def test_the_report_is_written_only_during_the_investigation(unit, state):
    flow = flows.taian_case_at(state, unit=unit, disputed=False)
    with nothing_changes(flow.case), pytest.raises(ValidationError) as refused:
        flows.write_report(flow, base_version=1)
    assert refused.value.messages == [str(investigation_errors.EDIT_NOT_IN_INVESTIGATION)]


def test_only_the_assigned_investigator_edits_and_signs(flow):
    # Need-to-know: an investigator of the unit not assigned to the case
    # neither reads it nor writes its report.
    colleague = flows.person(flow.staff.unit, Role.INVESTIGATOR, "另一调查员")
    with pytest.raises(PermissionDenied):
        save(flow, None, actor=colleague)
    save(flow, None, actor=flow.staff.investigator)
    save(flow, 1, actor=flow.staff.investigator)
    with pytest.raises(PermissionDenied):
        report_sign_off(actor=colleague, case=flow.case, version=2)
    assert report_sign_off(actor=flow.staff.investigator, case=flow.case, version=2).version == 2
