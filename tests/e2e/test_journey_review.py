"""The review stages of a Tai'an case walked in Chromium, each person in their
own browser session: the investigator's findings with evidence, the report
and its sign-off; the expert panel with a dissent; the leadership meeting,
where positions are recorded through htmx (no page load: the URL and a
window marker survive) and the tally follows live, one member using the
keyboard only; the chair announces the result and the decision shows."""

import re

import pytest
from playwright.sync_api import expect

from cases.workflow import CaseState
from deliberation.models import Determination
from exemptions.selectors import facts_by_key
from tests.flows import taian_case_at

pytestmark = pytest.mark.django_db(transaction=True)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FINDINGS = ("inspection_plan_followed", "cause_outside_inspection_scope", "fault_established")
POLL_WAIT = 30_000  # ms: several of the page's 5-second polls
DEPARTURE = "调查认定不存在执法过错，应认定为不构成执法过错，而非在有过错时免责。"


def _move(page, case, button):
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("alert").filter(has_text="案件已进入")).to_be_visible()


def _record_finding(page, case, label, value, evidence):
    page.goto(f"/cases/{case.pk}/facts/investigation/")
    form = page.locator("form").filter(has=page.get_by_label("事实要素"))
    form.get_by_label("事实要素").select_option(label=label)
    form.get_by_label("认定", exact=True).select_option(value)
    form.get_by_label("说明", exact=True).fill("见检查计划及检查记录")
    form.get_by_label("所依据的证据").select_option(label=evidence)
    form.get_by_role("button", name="记录").click()
    expect(page.get_by_text(f"已记录：{label}")).to_be_visible()


def _tally(page, determination):
    return page.get_by_test_id(f"tally-{determination.pk}")


def test_the_review_stages_end_in_a_decision_taken_through_htmx_votes(
    as_user, tmp_path, screenshot_dir
):
    flow = taian_case_at(CaseState.REGISTERED)
    staff, case = flow.staff, flow.case
    officer = flow.officer
    labels = {key: fact.label for key, fact in facts_by_key(regulation="taian-2020").items()}

    # The investigator: evidence, findings citing it, the report, sign-off.
    investigator = as_user(staff.investigator)
    _move(investigator, case, "开始调查核实")
    evidence = tmp_path / "检查记录.pdf"
    evidence.write_bytes(PDF_BYTES)
    investigator.get_by_label("证据文件").set_input_files(str(evidence))
    investigator.get_by_label("证据说明").fill("2026年度检查计划及检查记录")
    investigator.get_by_role("button", name="上传").click()
    expect(investigator.get_by_role("link", name="检查记录.pdf")).to_be_visible()
    for key in FINDINGS:
        value = "false" if key == "fault_established" else "true"
        _record_finding(investigator, case, labels[key], value, "检查记录.pdf")
    expect(investigator.get_by_text("📎 检查记录.pdf").first).to_be_visible()

    investigator.goto(f"/cases/{case.pk}/report/")
    investigator.get_by_label("调查认定的事实").fill(
        "经调阅检查记录，张执法已按2026年度“双随机、一公开”计划实施检查；过期食品系检查后进货。"
    )
    investigator.get_by_label("调查结论").fill(
        "调查组认为，张执法已按检查计划履行检查职责，危害源于检查内容以外的原因，"
        "符合《泰安办法》第六条第（四）项规定的情形，建议不予追究责任。"
    )
    investigator.get_by_label("6.4的结论").first.select_option("satisfied")
    investigator.get_by_label("6.4的理由").first.fill("检查计划与检查记录相符")
    investigator.get_by_role("button", name=re.compile("保存")).click()
    investigator.get_by_test_id("sign-off").click()
    expect(investigator.get_by_test_id("signed-off")).to_be_visible()
    investigator.screenshot(
        path=str(screenshot_dir / "journey-review-1-report.png"), full_page=True
    )

    # Disputed under Tai'an art. 9: the panel, one expert dissenting.
    _move(investigator, case, "提请专家论证")
    investigator.goto(f"/cases/{case.pk}/expert/")
    for expert in staff.experts:
        investigator.get_by_label(expert.get_full_name()).check()
    investigator.get_by_label("提请论证的问题").fill("张执法是否已按检查计划依法履行监督检查职责？")
    investigator.locator("input[name='panel-disputed']").first.check()
    investigator.get_by_role("button", name="组织专家组").click()
    positions = ("同意适用", "同意适用", "不同意适用")
    for expert, position in zip(staff.experts, positions, strict=True):
        page = as_user(expert)
        page.goto(f"/cases/{case.pk}/expert/")
        page.get_by_role("radio", name=position, exact=True).first.check()
        reasoning = (
            "检查频次不足，不能排除未尽职。"
            if position == "不同意适用"
            else "检查记录完整，危害源于检查内容以外的原因。"
        )
        page.get_by_label("理由").first.fill(reasoning)
        page.get_by_role("button", name="提交意见").first.click()
        expect(page.get_by_role("alert").filter(has_text="已")).to_be_visible()
    page.get_by_label("专家组结论").fill(
        "专家组多数意见认为符合第六条第（四）项，建议不予追究责任。"
    )
    page.get_by_label("不同意见").fill("卫专家认为检查频次不足，不同意适用第六条第（四）项。")
    page.get_by_role("button", name="出具书面论证意见").click()
    expect(page.get_by_test_id("panel-dissent")).to_contain_text("卫专家认为检查频次不足")
    page.screenshot(path=str(screenshot_dir / "journey-review-2-expert.png"), full_page=True)
    _move(investigator, case, "提交集体研究")

    # The leadership holds the facts as found: carried from the investigation
    # and confirmed at once, nothing re-entered; the chair convenes.
    leader = as_user(staff.leaders[0])
    leader.goto(f"/cases/{case.pk}/facts/deliberation/")
    expect(leader.get_by_test_id("fact-carried")).to_have_count(len(FINDINGS))
    expect(leader.get_by_test_id("fact-carried").first).to_contain_text("沿用自调查核实")
    leader.get_by_test_id("confirm-carried").click()
    expect(leader.get_by_test_id("carried-all-confirmed")).to_be_visible()
    chair = as_user(staff.chair)
    chair.goto(f"/cases/{case.pk}/deliberation/")
    chair.get_by_label("会议日期").fill("2026-11-20")
    chair.get_by_label("会议地点").fill("局党组会议室")
    for member in staff.meeting_members:
        chair.get_by_label(member.get_full_name()).check()
    chair.get_by_label("主要负责人（末位表态）").select_option(label=staff.chair.get_full_name())
    chair.get_by_role("button", name="召集会议").click()
    expect(chair.get_by_text("已召集集体研究会议。")).to_be_visible()

    # Per officer: the engine's proposal, the report, the panel, the matrix.
    section = chair.locator(f"#officer-{officer.pk}")
    expect(section.get_by_test_id(f"engine-outcome-{officer.pk}")).to_have_text("不予追究责任")
    expect(section.get_by_test_id(f"report-conclusion-{officer.pk}")).to_contain_text(
        "调查组认为，张执法已按检查计划履行检查职责"
    )
    expect(section.get_by_test_id(f"panel-clause-{officer.pk}-6.4")).to_have_text(
        "6.4：同意适用 2 人，不同意适用 1 人"
    )
    expect(section.get_by_test_id(f"panel-dissent-{officer.pk}")).to_contain_text("卫专家")
    expect(section.get_by_text("检查频次不足，不能排除未尽职。")).to_be_hidden()
    section.get_by_text("专家论证意见全文").click()
    expect(section.get_by_text("检查频次不足，不能排除未尽职。")).to_be_visible()
    section.get_by_text("调查报告全文").focus()
    chair.keyboard.press("Enter")  # a disclosure opens from the keyboard too
    expect(section.get_by_text("检查计划与检查记录相符")).to_be_visible()
    section.screenshot(path=str(screenshot_dir / "journey-review-3-officer-texts.png"))
    expect(section.get_by_role("heading", name=re.compile("的条款矩阵"))).to_be_visible()

    # The inspector proposes a determination that departs from the engine.
    inspector = as_user(staff.inspector)
    inspector.goto(f"/cases/{case.pk}/deliberation/")
    inspector.get_by_label("认定结果").select_option("no_fault")
    inspector.get_by_label("认定理由").fill("经调查，张执法不存在执法过错。")
    inspector.get_by_label("与系统建议不一致的理由").fill(DEPARTURE)
    inspector.get_by_role("button", name="提请表决").click()
    expect(inspector.get_by_test_id(f"departs-{officer.pk}")).to_have_text(
        re.compile("认定意见与系统建议不同")
    )
    determination = Determination.objects.get(case=case)
    expect(inspector.get_by_test_id(f"departure-{determination.pk}")).to_contain_text(
        "偏离系统建议：系统建议“不予追究责任”，认定为“不构成执法过错”。"
    )
    expect(inspector.get_by_test_id(f"departure-{determination.pk}")).to_contain_text(DEPARTURE)

    # The chair's page stays open from here on: it is never reloaded.
    chair.goto(f"/cases/{case.pk}/deliberation/")
    chair.evaluate("window.__meetingMarker = 'chair'")
    chair_url = chair.url
    expect(chair.get_by_test_id("close-vote")).to_be_disabled()
    expect(chair.get_by_test_id("close-why")).to_contain_text("尚待表态：张执法——")
    expect(chair.get_by_text("您是主要负责人：请在其他出席成员表态后末位表态。")).to_be_visible()
    expect(_tally(chair, determination)).to_contain_text("同意 0，不同意 0，弃权 0")

    # The first member votes with the mouse: htmx swaps the block in place.
    first = as_user(staff.leaders[0])
    first.goto(f"/cases/{case.pk}/deliberation/")
    first.evaluate("window.__meetingMarker = 'first'")
    url = first.url
    block = first.get_by_test_id(f"vote-block-{determination.pk}")
    expect(_tally(first, determination)).to_contain_text("同意 0")
    block.get_by_role("radio", name="同意", exact=True).check()
    block.get_by_label("理由").fill("事实清楚，同意认定为不构成执法过错。")
    block.get_by_role("button", name="表态", exact=True).click()
    expect(first.get_by_test_id(f"vote-recorded-{determination.pk}")).to_be_focused()
    expect(_tally(first, determination)).to_contain_text("同意 1，不同意 0，弃权 0")
    expect(first.locator("#meeting-announcer")).to_contain_text("同意 1，不同意 0，弃权 0")
    assert first.url == url
    assert first.evaluate("window.__meetingMarker") == "first"
    expect(block.get_by_role("button", name="表态", exact=True)).to_have_count(0)
    first.screenshot(path=str(screenshot_dir / "journey-review-4-voted.png"), full_page=True)

    # The second member uses the keyboard only: Space picks, Tab moves, Enter sends.
    second = as_user(staff.leaders[1])
    second.goto(f"/cases/{case.pk}/deliberation/")
    second.evaluate("window.__meetingMarker = 'second'")
    block = second.get_by_test_id(f"vote-block-{determination.pk}")
    for name in ("同意", "不同意", "弃权", "理由"):
        control = block.get_by_label(name, exact=name != "理由")
        label = block.locator(f"label[for='{control.get_attribute('id')}']")
        expect(label).to_be_visible()
        expect(label).to_have_text(re.compile(rf"^\s*{name}"))
    block.get_by_role("radio", name="不同意", exact=True).focus()
    second.keyboard.press("Space")
    expect(block.get_by_role("radio", name="不同意", exact=True)).to_be_checked()
    second.keyboard.press("Tab")
    expect(block.get_by_label("理由")).to_be_focused()
    second.keyboard.type("检查频次偏低，宜认定免责而非不构成过错。")
    second.keyboard.press("Tab")
    expect(block.get_by_role("button", name="表态", exact=True)).to_be_focused()
    second.keyboard.press("Enter")
    expect(second.get_by_test_id(f"vote-recorded-{determination.pk}")).to_be_focused()
    expect(_tally(second, determination)).to_contain_text("同意 1，不同意 1，弃权 0")
    assert second.evaluate("window.__meetingMarker") == "second"

    # The chair's open page has followed both positions by itself (it polls
    # every few seconds; the machine may be busy).
    expect(_tally(chair, determination)).to_contain_text(
        "同意 1，不同意 1，弃权 0", timeout=POLL_WAIT
    )
    expect(chair.get_by_test_id(f"waiting-{determination.pk}")).to_have_text(
        f"尚未表态：{staff.chair.get_full_name()}（末位表态）"
    )
    expect(chair.locator("#meeting-announcer")).to_contain_text("尚有 1 人未表态")
    expect(chair.get_by_test_id("close-vote")).to_be_disabled()

    # The chair speaks last; the close button comes alive without a reload.
    block = chair.get_by_test_id(f"vote-block-{determination.pk}")
    block.get_by_role("radio", name="同意", exact=True).check()
    block.get_by_label("理由").fill("同意认定为不构成执法过错，按程序办理。")
    block.get_by_role("button", name="表态", exact=True).click()
    expect(_tally(chair, determination)).to_contain_text("同意 2，不同意 1，弃权 0")
    expect(chair.get_by_test_id("close-vote")).to_be_enabled()
    expect(chair.get_by_test_id("close-why")).to_have_count(0)
    assert chair.url == chair_url
    assert chair.evaluate("window.__meetingMarker") == "chair"
    chair.screenshot(path=str(screenshot_dir / "journey-review-5-all-voted.png"), full_page=True)

    chair.get_by_test_id("close-vote").click()
    expect(chair.get_by_text("已宣布表决结果。")).to_be_visible()
    assert chair.confirmations[-1].startswith("宣布表决结果：宣布后表决结束")
    expect(chair.get_by_test_id("case-state")).to_have_text("已作出决定")
    decision = chair.get_by_test_id(f"determination-{determination.pk}")
    expect(decision).to_contain_text("不构成执法过错")
    expect(decision).to_contain_text("表决通过")
    expect(decision).to_contain_text("（与认定结果不同）")
    expect(chair.get_by_test_id(f"departure-{determination.pk}")).to_contain_text(DEPARTURE)
    expect(_tally(chair, determination)).to_contain_text("同意 2，不同意 1，弃权 0")
    chair.screenshot(path=str(screenshot_dir / "journey-review-6-decided.png"), full_page=True)
    determination.refresh_from_db()
    assert determination.status == Determination.Status.ADOPTED
    assert flow.state == CaseState.DECIDED
