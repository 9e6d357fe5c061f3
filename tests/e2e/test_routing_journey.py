"""Routing walked in Chromium (issue 15): one Tai'an case from registration
to filing. At each hand-off the next person logs in, lands on their own work
(My tasks; the liaison on the filings inbox), finds the case there with the
step the table names, finds the notice in their notification list, and has
the e-mail in the mail outbox. The moves at the hand-offs are made in the
browser; the long forms between them (findings, report, panel, opinions,
votes) through the services the pages call. Screenshots of My tasks and the
notification list for each role go to /tmp/shots_h15r/ (and the suite's
screenshot folder)."""

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.roles import Role
from cases.workflow import CaseState
from deliberation.services import vote_close
from filing.models import FilingPackage
from tests import flows

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/shots_h15r")


def _with_email(user, address):
    user.email = address
    user.save(update_fields=["email"])
    return user


class Walk:
    def __init__(self, as_user, screenshot_dir):
        self.as_user = as_user
        self.screenshot_dir = screenshot_dir
        SHOTS.mkdir(parents=True, exist_ok=True)

    def shot(self, page, name):
        for folder in (SHOTS, self.screenshot_dir):
            page.screenshot(path=str(folder / f"routing-{name}.png"), full_page=True)

    def hand_off(self, user, case, *, step, notice, shot, lands="/cases/tasks/"):
        """Log in as the next person: they land on their work, the case is in
        My tasks with the step, the notice is in their list, the e-mail in
        the outbox. Returns their page."""
        page = self.as_user(user)
        expect(page).to_have_url(re.compile(re.escape(lands) + "$"))
        page.goto("/cases/tasks/")
        row = page.get_by_test_id(f"task-{case.pk}")
        expect(row).to_contain_text(step)
        expect(page.get_by_test_id("task-count")).to_be_visible()
        self.shot(page, f"{shot}-tasks")
        page.get_by_role("link", name="提醒").first.click()
        item = page.get_by_test_id("notifications").locator("li").filter(has_text=notice)
        expect(item.first).to_be_visible()
        expect(item.first).to_contain_text(case.number)
        expect(page.get_by_test_id("unread-count")).to_be_visible()
        self.shot(page, f"{shot}-notices")
        assert any(
            user.email in message.to and case.number in message.body for message in mail.outbox
        ), (user, [m.to for m in mail.outbox])
        return page


def _move(page, case, button):
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("alert").filter(has_text="案件已进入")).to_be_visible()


def test_each_hand_off_reaches_the_next_person(as_user, screenshot_dir):
    flow = flows.new_case(flows.TAIAN)
    staff, unit = flow.staff, flow.staff.unit
    for n, user in enumerate(
        [staff.inspector, staff.investigator, *staff.experts, staff.chair, *staff.leaders]
    ):
        _with_email(user, f"user{n}@example.cn")
    supervisor = flows.person(unit, Role.CASE_SUPERVISOR, "陶督办", email="tao@example.cn")
    member = flows.person(unit, Role.INVESTIGATOR, "周调查", email="zhou@example.cn")
    liaison = flows.person(
        None,
        Role.DISCIPLINE_LIAISON,
        "吴联络",
        discipline_body=unit.discipline_body,
        email="wu@example.cn",
    )
    walk = Walk(as_user, screenshot_dir)

    # Registration: the case waits on the investigators, not the inspector.
    inspector = as_user(staff.inspector)
    expect(inspector).to_have_url(re.compile("/cases/tasks/$"))
    _move(inspector, flow.case, "登记立案")
    case = flow.reload()
    expect(inspector.get_by_test_id("waiting-on")).to_contain_text(
        staff.investigator.get_full_name()
    )
    expect(inspector.get_by_test_id("waiting-on")).not_to_contain_text(
        staff.inspector.get_full_name()
    )
    expect(inspector.get_by_test_id("team-form")).to_be_visible()  # the unit allows it

    # The supervisor assigns the team on the case page.
    boss = as_user(supervisor)
    boss.goto(f"/cases/{case.pk}/")
    boss.get_by_label("调查组长").select_option(label=staff.investigator.get_full_name())
    boss.get_by_label(member.get_full_name()).check()
    boss.get_by_test_id("assign-team").click()
    expect(boss.get_by_role("alert").filter(has_text="已指派调查组")).to_be_visible()
    expect(boss.get_by_test_id("team")).to_contain_text(member.get_full_name())
    walk.shot(boss, "supervisor-case")
    walk.hand_off(member, case, step="开始调查核实", notice="您被指派办理案件", shot="member")
    investigator = walk.hand_off(
        staff.investigator, case, step="开始调查核实", notice="等待您：开始调查核实", shot="lead"
    )

    # Investigation, then expert review: the inspector forms the panel.
    _move(investigator, case, "开始调查核实")
    flow.reload()
    flows.finish_investigation(flow)
    _move(investigator, case, "提请专家论证")
    flow.reload()
    walk.hand_off(staff.inspector, case, step="组建专家组", notice="组建专家组", shot="inspector")
    flows.form_panel(flow)
    walk.hand_off(
        staff.experts[0], case, step="出具专家论证意见", notice="请就争议条款", shot="expert"
    )
    flows.give_opinions(flow)
    flows.conclude_panel(flow)
    investigator = walk.hand_off(
        staff.investigator, case, step="提交集体研究", notice="等待您：提交集体研究", shot="lead-2"
    )
    _move(investigator, case, "提交集体研究")
    flow.reload()

    # Deliberation: the chair convenes; the members are told and vote.
    walk.hand_off(staff.chair, case, step="召集集体研究", notice="召集集体研究", shot="chair")
    flows.deliberation_facts(flow)
    flows.convene(flow)
    determination = flows.propose(flow)
    leader = staff.leaders[0]
    walk.hand_off(leader, case, step="对责任认定表态", notice="请表态", shot="leader")
    page = walk.as_user(leader)
    page.goto("/notifications/")
    expect(page.get_by_text("会议已召集").first).to_be_visible()
    flows.vote_all(flow, determination)
    vote_close(actor=staff.chair, meeting=flow.meeting)
    assert flow.reload().state == CaseState.DECIDED

    # Decided: the inspector files; the liaison lands on the inbox.
    inspector = walk.hand_off(
        staff.inspector,
        case,
        step="报纪检监察机关备案",
        notice="表决结果已宣布",
        shot="inspector-2",
    )
    _move(inspector, case, "报纪检监察机关备案")
    package = FilingPackage.objects.get(case=case)
    inbox = walk.hand_off(
        liaison,
        case,
        step="下载并签收备案材料",
        notice="请下载核对后签收",
        shot="liaison",
        lands="/filings/",
    )
    inbox.goto("/filings/")
    card = inbox.get_by_test_id(f"package-{package.pk}")
    expect(card.get_by_role("button", name="签收")).to_be_disabled()
    expect(card).to_contain_text("请先下载并核对该备案材料包，再签收。")
    with inbox.expect_download():
        card.get_by_role("link", name="下载材料包（第1版）").click()
    expect(inbox.get_by_test_id(f"receipt-{package.pk}")).to_be_visible()
    expect(card.get_by_role("button", name="签收")).to_be_enabled()
    card.get_by_role("button", name="签收").click()
    expect(inbox.get_by_test_id(f"ack-state-{package.pk}")).to_have_text("✓ 已签收")
    walk.shot(inbox, "liaison-acknowledged")

    # The inspector is told of the receipt and marks every notice read.
    page = walk.as_user(staff.inspector)
    page.goto("/notifications/")
    expect(page.get_by_text("吴联络已签收").first).to_be_visible()
    page.get_by_test_id("mark-all-read").click()
    expect(page.get_by_test_id("unread-count")).to_have_count(0)
    assert any("吴联络已签收" in m.body for m in mail.outbox if staff.inspector.email in m.to)


def test_a_lianyungang_case_reaches_each_next_person(as_user, screenshot_dir):
    """Lianyungang: no panel unless asked, a mitigated outcome, and so no
    filing: the decided case goes back to the registering inspector to close."""
    flow = flows.new_case(flows.LIANYUNGANG)
    staff = flow.staff
    for n, user in enumerate([staff.inspector, staff.investigator, staff.chair, *staff.leaders]):
        _with_email(user, f"lyg{n}@example.cn")
    walk = Walk(as_user, screenshot_dir)

    inspector = as_user(staff.inspector)
    _move(inspector, flow.case, "登记立案")
    case = flow.reload()
    investigator = walk.hand_off(
        staff.investigator,
        case,
        step="开始调查核实",
        notice="等待您：开始调查核实",
        shot="lyg-investigator",
    )
    _move(investigator, case, "开始调查核实")
    flow.reload()
    flows.finish_investigation(flow)
    _move(investigator, case, "提交集体研究")
    flow.reload()

    walk.hand_off(staff.chair, case, step="召集集体研究", notice="召集集体研究", shot="lyg-chair")
    flows.convene(flow)
    determination = flows.propose(flow)
    leader = staff.leaders[0]
    walk.hand_off(leader, case, step="对责任认定表态", notice="请表态", shot="lyg-leader")
    flows.vote_all(flow, determination)
    vote_close(actor=staff.chair, meeting=flow.meeting)
    assert flow.reload().state == CaseState.DECIDED

    inspector = walk.hand_off(
        staff.inspector,
        case,
        step="报纪检监察机关备案或结案",
        notice="表决结果已宣布",
        shot="lyg-inspector",
    )
    _move(inspector, case, "结案")
    assert flow.reload().state == CaseState.CLOSED
