"""Stage time limits (StageDeadline: a default for every unit, or a unit's
own), the deadline set on each move, and the scan that tells the responsible
users of cases due soon or overdue, in the app and by mail, once."""

import datetime

import pytest
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent, AuditEventType
from cases.models import Case, Notification, StageDeadline
from cases.services.deadlines import case_deadline_set, deadlines_scan, stage_deadline_for
from cases.workflow import CaseState, DayKind
from tests import flows
from tests.flows import person

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def fresh(flow) -> Case:
    return Case.objects.get(pk=flow.case.pk)


def deadline_text(case) -> str:
    local = timezone.localtime(case.deadline_at)
    return f"{local.year}年{local.month}月{local.day}日"


def with_email(user, address):
    type(user).objects.filter(pk=user.pk).update(email=address)
    user.email = address
    return user


DEFAULT_DAYS = {
    CaseState.DRAFT: 30,
    CaseState.REGISTERED: 10,
    CaseState.INVESTIGATING: 60,
    CaseState.EXPERT_REVIEW: 30,
    CaseState.DELIBERATION: 30,
    CaseState.DECIDED: 15,
    CaseState.FILED: 15,
    CaseState.PUBLISHED: 10,
    CaseState.CLOSED: 1,
    CaseState.WITHDRAWN: 1,
}
CALENDAR = DayKind.CALENDAR
UNIT_DAYS = {state: days // 2 or 1 for state, days in DEFAULT_DAYS.items()}  # registered: 5


@pytest.fixture
def limits(unit):
    """A default for every stage (in place of whatever the data migration
    seeded) and the Tai'an bureau's own, shorter limits with a 2-day warning,
    all in calendar days (working days: tests/cases/test_working_days.py).
    Returns the bureau's limit for registration."""
    StageDeadline.objects.all().delete()
    for state, days in DEFAULT_DAYS.items():
        StageDeadline.objects.create(state=state, days=days, day_kind=CALENDAR)
    for state, days in UNIT_DAYS.items():
        StageDeadline.objects.create(
            unit=unit, state=state, days=days, warn_days_before=2, day_kind=CALENDAR
        )
    return StageDeadline.objects.get(unit=unit, state=CaseState.REGISTERED)


# --- the limits ---------------------------------------------------------------------------


def test_a_units_own_limit_wins_over_the_default(unit, limits):
    case = fresh(flows.taian_case_at(CaseState.REGISTERED, unit=unit))
    assert stage_deadline_for(case) == limits
    assert case.deadline_at == case.state_entered_at + 5 * DAY


def test_a_unit_without_its_own_limit_gets_the_default(other_unit, catalogs, limits):
    case = fresh(flows.lianyungang_case_at(CaseState.REGISTERED, unit=other_unit))
    assert stage_deadline_for(case) is not None
    assert stage_deadline_for(case).unit is None
    assert case.deadline_at == case.state_entered_at + 10 * DAY


def test_every_move_sets_the_deadline_of_the_stage_entered(unit, limits):
    flow = flows.taian_case_at(CaseState.DRAFT, unit=unit)
    entered = None
    for step, state in [
        (flows.register, CaseState.REGISTERED),
        (flows.start_investigation, CaseState.INVESTIGATING),
        (
            lambda f: (flows.finish_investigation(f), flows.request_expert_review(f)),
            CaseState.EXPERT_REVIEW,
        ),
        (
            lambda f: (
                flows.form_panel(f),
                flows.give_opinions(f),
                flows.conclude_panel(f),
                flows.submit(f),
            ),
            CaseState.DELIBERATION,
        ),
        (flows.decide, CaseState.DECIDED),
    ]:
        step(flow)
        case = fresh(flow)
        assert case.state == state
        assert entered is None or case.state_entered_at > entered
        assert case.deadline_at == case.state_entered_at + UNIT_DAYS[state] * DAY
        entered = case.state_entered_at


@pytest.mark.parametrize("state", [CaseState.CLOSED, CaseState.WITHDRAWN])
def test_a_final_stage_has_no_deadline_even_with_a_limit(unit, limits, state):
    if state == CaseState.CLOSED:
        flow = flows.taian_case_at(CaseState.CLOSED, unit=unit)
    else:
        flow = flows.taian_case_at(CaseState.REGISTERED, unit=unit)
        flows.move(flow, "withdraw", flow.staff.inspector, reason="重复登记")
    assert fresh(flow).deadline_at is None


def test_a_stage_without_a_limit_has_no_deadline(unit):
    StageDeadline.objects.all().delete()
    flow = flows.taian_case_at(CaseState.REGISTERED, unit=unit)
    assert fresh(flow).deadline_at is None
    StageDeadline.objects.create(unit=unit, state=CaseState.REGISTERED, days=7, day_kind=CALENDAR)
    case = fresh(flow)
    case_deadline_set(case=case)
    assert fresh(flow).deadline_at == case.state_entered_at + 7 * DAY


# --- the scan -----------------------------------------------------------------------------


def test_the_scan_tells_the_responsible_user_once_when_due_soon_and_once_when_overdue(
    unit, limits, mailoutbox
):
    # A registered case waits on the unit's investigators (to start).
    flow = flows.taian_case_at(CaseState.REGISTERED, unit=unit)
    investigator = with_email(flow.staff.investigator, "wang@example.cn")
    case = fresh(flow)
    deadline = case.deadline_at

    assert deadlines_scan(now=deadline - 3 * DAY) == 0  # warned 2 days before (the unit's rule)
    assert mailoutbox == []

    assert deadlines_scan(now=deadline - 2 * DAY) == 1
    [soon] = flows.deadline_notices()
    assert (soon.user, soon.case, soon.kind, soon.state, soon.deadline_at) == (
        investigator,
        case,
        Notification.Kind.DUE_SOON,
        CaseState.REGISTERED,
        deadline,
    )
    assert soon.message == f"案件{case.number}在“已登记”阶段即将到期（期限{deadline_text(case)}）。"
    [mail] = mailoutbox
    assert (mail.to, mail.subject, mail.body) == (["wang@example.cn"], soon.message, soon.message)

    # Idempotent: nothing new, no second mail.
    assert deadlines_scan(now=deadline - 1 * DAY) == 0
    assert flows.deadline_notices().count() == 1 and len(mailoutbox) == 1

    assert deadlines_scan(now=deadline + DAY) == 1
    overdue = flows.deadline_notices().get(kind=Notification.Kind.OVERDUE)
    assert (
        overdue.message == f"案件{case.number}在“已登记”阶段已超期（期限{deadline_text(case)}）。"
    )
    assert len(mailoutbox) == 2 and mailoutbox[1].subject == overdue.message

    assert deadlines_scan(now=deadline + 5 * DAY) == 0
    assert flows.deadline_notices().count() == 2 and len(mailoutbox) == 2


def test_the_deadline_itself_counts_as_overdue(unit, limits):
    flow = flows.taian_case_at(CaseState.REGISTERED, unit=unit)
    assert deadlines_scan(now=fresh(flow).deadline_at) == 1
    assert flows.deadline_notices().get().kind == Notification.Kind.OVERDUE


def test_a_user_without_email_is_told_in_the_app_only(unit, limits, mailoutbox):
    flow = flows.taian_case_at(CaseState.REGISTERED, unit=unit)
    assert deadlines_scan(now=fresh(flow).deadline_at + DAY) == 1
    assert flows.deadline_notices().get().user == flow.staff.investigator
    assert mailoutbox == []


def test_the_lead_investigator_is_told_during_the_investigation(unit, limits, mailoutbox):
    flow = flows.taian_case_at(CaseState.INVESTIGATING, unit=unit)
    with_email(flow.staff.investigator, "lin@example.cn")
    person(unit, Role.INVESTIGATOR, "另一调查员", email="other@example.cn")  # not leading
    assert deadlines_scan(now=fresh(flow).deadline_at + DAY) == 1
    assert flows.deadline_notices().get().user == flow.staff.investigator
    assert [m.to for m in mailoutbox] == [["lin@example.cn"]]


def test_every_principal_leader_of_the_unit_is_told_during_deliberation(unit, limits, mailoutbox):
    flow = flows.taian_case_at(CaseState.DELIBERATION, unit=unit, disputed=False)
    with_email(flow.staff.chair, "zhao@example.cn")
    second = person(unit, Role.LEADERSHIP_CHAIR, "钱局长", email="qian@example.cn")
    person(flows.unit_for("taian"), Role.LEADERSHIP_CHAIR, "外单位局长", email="x@example.cn")
    assert deadlines_scan(now=fresh(flow).deadline_at - DAY) == 2
    assert set(flows.deadline_notices().values_list("user", flat=True)) == {
        flow.staff.chair.pk,
        second.pk,
    }
    assert sorted(m.to[0] for m in mailoutbox) == ["qian@example.cn", "zhao@example.cn"]


def test_the_discipline_liaison_is_told_while_the_case_is_filed(unit, limits, mailoutbox):
    flow = flows.taian_case_at(CaseState.FILED, unit=unit)
    liaison = person(None, Role.DISCIPLINE_LIAISON, "纪检联络员", email="jj@example.cn")
    liaison.discipline_body = unit.discipline_body
    liaison.save()
    assert deadlines_scan(now=fresh(flow).deadline_at + DAY) == 2
    assert set(flows.deadline_notices().values_list("user", flat=True)) == {
        flow.staff.inspector.pk,
        liaison.pk,
    }
    assert [m.to for m in mailoutbox] == [["jj@example.cn"]]


def test_entering_a_new_stage_brings_new_notifications(unit, limits):
    flow = flows.taian_case_at(CaseState.REGISTERED, unit=unit)
    assert deadlines_scan(now=fresh(flow).deadline_at + DAY) == 1
    flows.start_investigation(flow)
    assert deadlines_scan(now=fresh(flow).deadline_at + DAY) == 1
    assert list(flows.deadline_notices().order_by("id").values_list("state", "user")) == [
        (CaseState.REGISTERED, flow.staff.investigator.pk),
        (CaseState.INVESTIGATING, flow.staff.investigator.pk),
    ]


def test_closed_withdrawn_and_undated_cases_are_left_alone(unit, limits):
    closed = flows.taian_case_at(CaseState.CLOSED, unit=unit)
    withdrawn = flows.taian_case_at(CaseState.REGISTERED, unit=unit)
    flows.move(withdrawn, "withdraw", withdrawn.staff.inspector, reason="重复")
    StageDeadline.objects.filter(state=CaseState.DRAFT).delete()
    flows.taian_case_at(CaseState.DRAFT, unit=unit)  # a draft has no deadline
    # Even a final case with a deadline left over from before is skipped.
    Case.objects.filter(pk=closed.case.pk).update(deadline_at=timezone.now() - DAY)
    assert deadlines_scan(now=timezone.now() + 365 * DAY) == 0
    assert not flows.deadline_notices().exists()


def test_a_reminder_is_in_the_audit_trail(unit, limits):
    flow = flows.taian_case_at(CaseState.REGISTERED, unit=unit)
    deadlines_scan(now=fresh(flow).deadline_at + DAY)
    assert AuditEvent.objects.filter(
        case=flow.case, event_type=AuditEventType.DEADLINE_NOTIFIED
    ).exists()


def test_a_deactivated_user_is_not_notified(unit, limits, mailoutbox):
    flow = flows.taian_case_at(CaseState.REGISTERED, unit=unit)
    with_email(flow.staff.inspector, "gone@example.cn")
    type(flow.staff.inspector).objects.filter(pk=flow.staff.inspector.pk).update(is_active=False)
    deadlines_scan(now=fresh(flow).deadline_at + DAY)
    assert mailoutbox == []
