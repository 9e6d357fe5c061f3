"""Routing the work (issue 15): who acts next, assignment of the
investigation team, hand-off notices (in-app and e-mail, immediate or in a
digest), mark-as-read and where each role lands after logging in."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEvent, AuditEventType
from cases import errors as cases_errors
from cases.models import Notification
from cases.selectors import (
    _arms,
    _ranked_arms,
    case_next_step,
    case_responsible_users,
    cases_waiting_on,
    cases_waiting_on_count,
)
from cases.services.assignment import team_assign
from cases.services.notices import (
    notice_text,
    notification_mark_read,
    notify,
    send_digests,
)
from cases.workflow import CaseState, NoticeKind
from deliberation import errors as deliberation_errors
from filing.models import FilingPackage
from filing.services.filing import filing_acknowledge, filing_package_download_record
from panel.services import opinion_record
from tests import flows
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def notices(user, kind=None) -> list[Notification]:
    found = Notification.objects.filter(user=user)
    return list(found.filter(kind=kind) if kind else found)


@pytest.fixture
def flow(catalogs):
    return flows.new_case(flows.TAIAN)


@pytest.fixture
def supervisor(flow):
    return flows.person(flow.staff.unit, Role.CASE_SUPERVISOR, "陶督办")


@pytest.fixture
def second_investigator(flow):
    return flows.person(flow.staff.unit, Role.INVESTIGATOR, "周调查", email="zhou@example.cn")


# --- who acts next -------------------------------------------------------------------


def test_a_registered_case_waits_on_the_investigators_not_the_inspector(flow):
    flows.register(flow)
    case = flow.reload()
    inspector, investigator = flow.staff.inspector, flow.staff.investigator
    assert case_responsible_users(case) == [investigator]
    assert case.pk in cases_waiting_on(investigator).values_list("pk", flat=True)
    assert case.pk not in cases_waiting_on(inspector).values_list("pk", flat=True)
    assert case_next_step(case, inspector) is None
    assert str(case_next_step(case, investigator).label) == "开始调查核实"


def test_experts_drop_out_as_they_give_their_opinions_then_the_investigator_submits(catalogs):
    flow = flows.taian_case_at(CaseState.EXPERT_REVIEW)
    flows.form_panel(flow)
    first, second, third = flow.staff.experts
    panel = flow.reload().expert_panel
    for disputed in panel.disputed.all():
        opinion_record(actor=first, disputed_clause=disputed, position="agree", reasoning="同意。")
    waiting = case_responsible_users(flow.reload())
    assert first not in waiting and {second, third} <= set(waiting)
    assert flow.case.pk not in cases_waiting_on(first).values_list("pk", flat=True)
    flows.give_opinions(flow)
    # Every opinion given: the panel issues its written opinion, nobody else.
    assert set(case_responsible_users(flow.reload())) == {first, second, third}
    assert str(case_next_step(flow.case, first).label) == "出具专家组书面论证意见"
    flows.conclude_panel(flow)
    case = flow.reload()
    assert case_responsible_users(case) == [flow.staff.investigator]
    for expert in flow.staff.experts:
        assert case.pk not in cases_waiting_on(expert).values_list("pk", flat=True)
    assert str(case_next_step(case, flow.staff.investigator).label) == "提交集体研究"


# --- assignment --------------------------------------------------------------------------


def test_the_supervisor_assigns_the_team_audited_and_the_team_is_told(
    flow, supervisor, second_investigator, django_capture_on_commit_callbacks
):
    flows.register(flow)
    lead = flow.staff.investigator
    with django_capture_on_commit_callbacks(execute=True):
        team_assign(actor=supervisor, case=flow.reload(), lead=lead, members=[second_investigator])
    case = flow.reload()
    assert case.lead_investigator == lead
    assert list(case.investigation_team.all()) == [second_investigator]
    event = AuditEvent.objects.filter(event_type=AuditEventType.TEAM_ASSIGNED).get()
    assert event.actor == supervisor
    assert event.data["lead"] == lead.pk and event.data["members"] == [second_investigator.pk]
    # Both are told, and both now see the case in My tasks; nobody else does.
    for user in (lead, second_investigator):
        [notice] = notices(user, NoticeKind.ASSIGNED)
        assert notice.actor == supervisor
        assert case.pk in cases_waiting_on(user).values_list("pk", flat=True)
    assert notices(supervisor) == []
    assert [m.to for m in mail.outbox if "指派" in m.body] == [["zhou@example.cn"]]
    assert set(case_responsible_users(case)) == {lead, second_investigator}


def test_a_team_member_may_start_the_investigation_and_others_drop_out(
    flow, supervisor, second_investigator
):
    flows.register(flow)
    spare = flows.person(flow.staff.unit, Role.INVESTIGATOR, "闲调查")
    team_assign(actor=supervisor, case=flow.reload(), lead=second_investigator)
    case = flow.reload()
    assert case.pk not in cases_waiting_on(spare).values_list("pk", flat=True)
    assert case.pk not in cases_waiting_on(flow.staff.investigator).values_list("pk", flat=True)
    flows.move(flow, "start_investigation", second_investigator)
    assert flow.reload().lead_investigator == second_investigator


def test_only_investigators_of_the_unit_can_be_assigned_and_nothing_changes(
    flow, supervisor, catalogs
):
    flows.register(flow)
    stranger = flows.person(UnitFactory(jurisdiction="taian"), Role.INVESTIGATOR, "外单位")
    not_an_investigator = flow.staff.experts[0]
    for lead, members, outsider in (
        (stranger, [], stranger),
        (flow.staff.investigator, [not_an_investigator], not_an_investigator),
    ):
        with pytest.raises(ValidationError) as error:
            team_assign(actor=supervisor, case=flow.reload(), lead=lead, members=members)
        assert error.value.message_dict == {
            "members": [cases_errors.NOT_UNIT_INVESTIGATORS % {"names": outsider.get_full_name()}]
        }
    case = flow.reload()
    assert case.lead_investigator is None and not case.investigation_team.exists()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.TEAM_ASSIGNED).exists()
    assert not Notification.objects.filter(kind=NoticeKind.ASSIGNED).exists()


def test_who_may_assign(flow, supervisor):
    flows.register(flow)
    case = flow.reload()
    lead = flow.staff.investigator
    # The registering inspector may, while the unit allows it.
    team_assign(actor=flow.staff.inspector, case=case, lead=lead)
    unit = flow.staff.unit
    unit.inspector_may_assign = False
    unit.save()
    with pytest.raises(PermissionDenied):
        team_assign(actor=flow.staff.inspector, case=flow.reload(), lead=lead)
    # Nobody else of the unit, nor a supervisor of another unit.
    other_supervisor = flows.person(UnitFactory(), Role.CASE_SUPERVISOR, "外督办")
    for actor in (flow.staff.chair, lead, other_supervisor):
        with pytest.raises(PermissionDenied):
            team_assign(actor=actor, case=flow.reload(), lead=lead)
    team_assign(actor=supervisor, case=flow.reload(), lead=lead)


def test_no_assignment_once_the_report_is_signed_off(catalogs):
    flow = flows.taian_case_at(CaseState.EXPERT_REVIEW)
    supervisor = flows.person(flow.staff.unit, Role.CASE_SUPERVISOR, "陶督办")
    with pytest.raises(ValidationError, match=str(cases_errors.TEAM_NOT_ASSIGNABLE_IN_STATE)):
        team_assign(actor=supervisor, case=flow.reload(), lead=flow.staff.investigator)


def test_the_case_page_offers_the_form_only_to_whoever_may_assign(
    client, flow, supervisor, second_investigator
):
    flows.register(flow)
    url = reverse("cases:detail", args=[flow.case.pk])
    client.force_login(flow.staff.investigator)
    assert 'data-testid="team-form"' not in client.get(url).content.decode()
    client.force_login(supervisor)
    page = client.get(url).content.decode()
    assert 'data-testid="team-form"' in page and "周调查" in page
    response = client.post(
        reverse("cases:team", args=[flow.case.pk]),
        {"team-lead": second_investigator.pk, "team-members": [flow.staff.investigator.pk]},
        follow=True,
    )
    assert "已指派调查组" in response.content.decode()
    assert flow.reload().lead_investigator == second_investigator
    # A lead from outside the pool is refused by the form and changes nothing.
    response = client.post(
        reverse("cases:team", args=[flow.case.pk]),
        {"team-lead": flow.staff.chair.pk},
        follow=True,
    )
    assert flow.reload().lead_investigator == second_investigator
    assert "alert-danger" in response.content.decode() or "选择一个有效的选项" in (
        response.content.decode()
    )


# --- notices at each hand-off ------------------------------------------------------------


def test_each_hand_off_tells_the_next_person(catalogs):
    flow = flows.taian_case_at(CaseState.EXPERT_REVIEW)
    staff = flow.staff
    # Review requested: the inspector, who forms the panel, was told.
    assert notices(staff.inspector, NoticeKind.TURN)
    flows.form_panel(flow)
    for expert in staff.experts:
        assert len(notices(expert, NoticeKind.OPINION_DUE)) == 1
    assert notices(staff.investigator, NoticeKind.PANEL_FORMED)
    flows.give_opinions(flow)
    flows.conclude_panel(flow)
    [turn] = [n for n in notices(staff.investigator, NoticeKind.TURN) if n.state == "expert_review"]
    assert turn.params["step"] == "提交集体研究"
    flows.submit(flow)
    assert notices(staff.chair, NoticeKind.TURN)
    flows.deliberation_facts(flow)
    flows.convene(flow)
    for leader in staff.leaders:
        [convened] = notices(leader, NoticeKind.MEETING_CONVENED)
        assert "局党组会议室" in convened.message
        assert "2026年6月20日" in convened.message
        # The date is kept as a date and read in the reader's language.
        with translation.override("en"):
            english = notice_text(convened)
        assert "June 20, 2026" in english and "年" not in english
    assert notices(staff.chair, NoticeKind.MEETING_CONVENED) == []  # convened it
    determination = flows.propose(flow)
    for leader in staff.leaders:
        assert notices(leader, NoticeKind.VOTING_OPEN)
    flows.vote_all(flow, determination)
    from deliberation.services import vote_close

    vote_close(actor=staff.chair, meeting=flow.meeting)
    for leader in staff.leaders:
        assert notices(leader, NoticeKind.RESULT_ANNOUNCED)
    assert notices(staff.inspector, NoticeKind.RESULT_ANNOUNCED)
    liaison = flows.person(
        None, Role.DISCIPLINE_LIAISON, "吴联络", discipline_body=staff.unit.discipline_body
    )
    flows.move(flow, "file", staff.inspector)
    [filed] = notices(liaison, NoticeKind.PACKAGE_FILED)
    assert filed.case == flow.case
    assert filed.url == reverse("filings:inbox")  # the liaison reads no case page
    package = FilingPackage.objects.get(case=flow.case)
    filing_package_download_record(actor=liaison, package=package)
    filing_acknowledge(actor=liaison, package=package)
    [ack] = notices(staff.inspector, NoticeKind.RECEIPT_ACKNOWLEDGED)
    assert "吴联络已签收" in ack.message


def test_a_refused_move_tells_nobody(flow):
    before = Notification.objects.count()
    flows.register(flow)
    registered = Notification.objects.count()
    assert registered > before
    from cases.services.transitions import TransitionRefused

    with pytest.raises(TransitionRefused):
        flows.move(flow, "submit_for_deliberation", flow.staff.investigator)
    assert Notification.objects.count() == registered


def test_the_notice_reads_in_the_readers_language(flow):
    flows.register(flow)
    [notice] = notices(flow.staff.investigator, NoticeKind.TURN)
    assert notice.text == notice.message
    assert "等待您：开始调查核实" in notice.message
    with translation.override("en"):
        assert "开始" not in notice.text and notice.case.display_number in notice.text


# --- e-mail: immediately or in a daily digest -----------------------------------------


def test_immediate_email_goes_once_the_move_commits(flow, django_capture_on_commit_callbacks):
    investigator = flow.staff.investigator
    investigator.email = "lin@example.cn"
    investigator.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        flows.register(flow)
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == ["lin@example.cn"] and "开始调查核实" in message.body
    [notice] = notices(investigator, NoticeKind.TURN)
    assert notice.emailed_at is not None


def test_digest_users_get_one_email_a_day_listing_their_notices(
    flow, django_capture_on_commit_callbacks
):
    user = flow.staff.investigator
    user.email = "lin@example.cn"
    user.notice_delivery = User.NoticeDelivery.DIGEST
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        flows.register(flow)
        notify(NoticeKind.ASSIGNED, case=flow.reload(), recipients=[user])
    assert mail.outbox == []
    assert send_digests() == 1
    [digest] = mail.outbox
    assert digest.to == ["lin@example.cn"] and "2" in digest.subject
    assert digest.body.count(flow.case.display_number) == 2
    assert not Notification.objects.filter(user=user, emailed_at__isnull=True).exists()
    assert send_digests() == 0 and len(mail.outbox) == 1  # each notice goes out once
    call_command("send_digests")
    assert len(mail.outbox) == 1


def test_the_user_chooses_immediate_or_digest(client, flow):
    user = flow.staff.investigator
    client.force_login(user)
    url = reverse("notification_settings")
    assert client.get(url).status_code == 200
    client.post(url, {"notice_delivery": "digest"})
    user.refresh_from_db()
    assert user.notice_delivery == "digest"
    response = client.post(url, {"notice_delivery": "hourly"})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    user.refresh_from_db()
    assert user.notice_delivery == "digest"


# --- reading -----------------------------------------------------------------------------


def test_mark_one_and_all_read_and_never_someone_elses(client, flow):
    flows.register(flow)
    user = flow.staff.investigator
    first = notify(NoticeKind.ASSIGNED, case=flow.reload(), recipients=[user])[0]
    other = notify(NoticeKind.ASSIGNED, case=flow.case, recipients=[flow.staff.chair])[0]
    client.force_login(user)
    page = client.get(reverse("notifications")).content.decode()
    assert 'data-testid="unread-count">2' in page
    client.post(reverse("notification_read", args=[first.pk]))
    first.refresh_from_db()
    assert first.read_at is not None
    assert 'data-testid="unread-count">1' in client.get(reverse("notifications")).content.decode()
    response = client.post(reverse("notification_read", args=[other.pk]), follow=True)
    assert str(cases_errors.NO_SUCH_NOTIFICATION) in response.content.decode()
    other.refresh_from_db()
    assert other.read_at is None
    assert notification_mark_read(user=user) == 1
    assert notification_mark_read(user=user) == 0
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()


# --- landing -----------------------------------------------------------------------------


def test_each_role_lands_on_its_own_work(client, flow):
    liaison = flows.person(
        None, Role.DISCIPLINE_LIAISON, "吴联络", discipline_body=flow.staff.unit.discipline_body
    )
    for user, landing in (
        (liaison, reverse("filings:inbox")),
        (flow.staff.inspector, reverse("cases:tasks")),
        (flow.staff.investigator, reverse("cases:tasks")),
        (flow.staff.chair, reverse("cases:tasks")),
    ):
        client.force_login(user)
        assert client.get(reverse("home")).url == landing, user


def test_deadline_notices_follow_the_users_e_mail_choice(flow):
    from cases.services.deadlines import deadlines_scan

    flows.register(flow)
    user = flow.staff.investigator
    user.email = "lin@example.cn"
    user.notice_delivery = User.NoticeDelivery.DIGEST
    user.save()
    case = flow.reload()
    assert deadlines_scan(now=case.deadline_at) == 1
    assert mail.outbox == []  # not at once: in the digest
    assert send_digests() == 1
    assert "已超期" in mail.outbox[0].body
    assert send_digests() == 0


def test_the_panel_comes_from_the_units_expert_pool_and_a_refusal_tells_nobody(catalogs):
    from panel.services import panel_set_up

    flow = flows.taian_case_at(CaseState.EXPERT_REVIEW)
    outsider = flows.person(UnitFactory(jurisdiction="taian"), Role.EXPERT, "外专家")
    before = Notification.objects.count()
    with pytest.raises(ValidationError, match="外专家"):
        panel_set_up(
            actor=flow.staff.inspector,
            case=flow.reload(),
            members=[*flow.staff.experts[:2], outsider],
            question="是否依法履职？",
            disputed=[(flow.officer, "6.4")],
        )
    assert Notification.objects.count() == before
    assert notices(outsider) == []


def test_the_meeting_comes_from_the_leadership_roster_and_a_refusal_tells_nobody(catalogs):
    from deliberation.services import meeting_convene

    flow = flows.taian_case_at(CaseState.DELIBERATION)
    before = Notification.objects.count()
    refusal = deliberation_errors.NOT_LEADERSHIP % {
        "names": flow.staff.investigator.get_full_name()
    }
    with pytest.raises(ValidationError, match=refusal):
        meeting_convene(
            actor=flow.staff.chair,
            case=flow.reload(),
            held_on=flow.case.created_at.date(),
            place="会议室",
            members=[flow.staff.chair, flow.staff.investigator],
            chair=flow.staff.chair,
        )
    assert Notification.objects.count() == before


def test_the_badge_query_is_built_from_the_user_alone(flow, supervisor, django_assert_num_queries):
    """The compiled queries of the badge, My tasks and its steps are kept per
    user, roles, units and discipline body (cases.selectors._kept_sql): so no
    party's arms may read anything else while the queries are built."""
    staff = flow.staff
    users = [staff.inspector, staff.investigator, *staff.experts, staff.chair, *staff.leaders]
    users.append(supervisor)
    for user in users:
        user.role_codes(), user.unit_ids()  # read once a request, as the pages do
        with django_assert_num_queries(0):
            arms = _arms(user)
            ranked = _ranked_arms(user)
            for arm in (*arms, *ranked):
                arm.query.sql_with_params()
        assert arms and ranked, user


def test_the_badge_counts_afresh_with_the_kept_query(flow):
    """The query is kept; its count is not: the badge follows the case."""
    inspector, investigator = flow.staff.inspector, flow.staff.investigator
    counts = {user: cases_waiting_on_count(user) for user in (inspector, investigator)}
    flows.register(flow)
    assert cases_waiting_on_count(inspector) == counts[inspector] - 1
    assert cases_waiting_on_count(investigator) == counts[investigator] + 1
    for user in (inspector, investigator):
        assert cases_waiting_on_count(user) == cases_waiting_on(user).count()
