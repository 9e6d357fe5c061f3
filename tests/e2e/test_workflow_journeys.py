"""Both regulations' cases walked in Chromium, each role doing its part in
its own browser session: what a person sees is asserted at every step and the
key pages are saved as screenshots."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.demo import seed_demo_data
from cases import errors as cases_errors
from cases.confirmations import CONSEQUENCES
from cases.models import Case
from deliberation.models import Determination
from exemptions.selectors import facts_by_key

pytestmark = pytest.mark.django_db(transaction=True)

# The carried facts page is also kept here, to be looked at.
SHOTS = Path("/tmp/shots_h15f")
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _create_draft(page, *, summary, allegation, officer_label, place, disputed):
    page.get_by_role("link", name="登记案件").first.click()
    page.get_by_label("行为发生日期").fill("2026-03-05")
    page.get_by_label("发生地点").fill(place)
    page.get_by_label("领域").select_option("food")
    page.get_by_label("执法活动类型").select_option("inspection")
    page.get_by_label("线索来源").select_option("complaint")
    page.get_by_label("事件概要").fill(summary)
    # The intake wizard: incident, officers, allegation open the draft case.
    page.get_by_role("button", name="下一步").click()
    page.locator("#id_officers-0-officer").select_option(label=officer_label)
    page.locator("#id_officers-0-part").select_option("handler")
    page.get_by_role("button", name="下一步").click()
    page.get_by_label("反映的问题（执法过错指控）").fill(allegation)
    if disputed:
        page.get_by_label("对是否依法履职或是否存在过错有争议").check()
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_role("heading", name="第四步：证据材料")).to_be_visible()
    page.goto(f"/cases/{Case.objects.latest('pk').pk}/")
    expect(page).to_have_url(re.compile(r"/cases/\d+/$"))
    return Case.objects.latest("pk")


def _claim(page, case, ref):
    page.goto(f"/cases/{case.pk}/claims/")
    page.locator(f"input[name^='claims-'][value='{ref}']").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存主张适用的条款。")).to_be_visible()


def _record_fact(page, case, stage, key, value, note="", evidence=None):
    # The form offers each fact in the words of the case's regulation.
    label = facts_by_key(regulation=case.regulation.regulation.slug)[key].label
    page.goto(f"/cases/{case.pk}/facts/{stage}/")
    form = page.locator("form").filter(has=page.get_by_label("事实要素"))
    form.get_by_label("事实要素").select_option(key)
    form.get_by_label("认定", exact=True).select_option(value)
    if note:
        form.get_by_label("说明", exact=True).fill(note)
    if evidence:
        form.get_by_label("所依据的证据").select_option(label=evidence)
    form.get_by_role("button", name="记录").click()
    expect(page.get_by_text(f"已记录：{label}")).to_be_visible()


def _move(page, case, button):
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("alert").filter(has_text="案件已进入")).to_be_visible()


def _write_report(page, case, ref, reasoning):
    page.goto(f"/cases/{case.pk}/report/")
    page.get_by_label("调查认定的事实").fill(
        "经调阅检查记录，执法人员已按年度检查计划履行检查职责。"
    )
    page.get_by_label("调查结论").fill(f"符合第{ref}项规定的情形。")
    page.get_by_label(f"{ref}的结论").first.select_option("satisfied")
    page.get_by_label(f"{ref}的理由").first.fill(reasoning)
    page.get_by_role("button", name=re.compile("保存")).click()
    page.get_by_test_id("sign-off").click()
    expect(page.get_by_test_id("signed-off")).to_be_visible()


def _confirm_carried_facts(page, case, count, shot=None):
    """At deliberation the facts are those the investigation established,
    marked as carried: one button confirms them all."""
    page.goto(f"/cases/{case.pk}/facts/deliberation/")
    expect(page.get_by_test_id("fact-carried")).to_have_count(count)
    expect(page.get_by_test_id("fact-carried").first).to_contain_text("沿用自调查核实")
    expect(page.get_by_test_id("fact-carried").first).to_contain_text("待确认")
    if shot:
        page.screenshot(path=str(shot), full_page=True)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / shot.name), full_page=True)
    page.get_by_test_id("confirm-carried").click()
    expect(page.get_by_text(f"已确认沿用的事实{count}项。")).to_be_visible()
    expect(page.get_by_test_id("carried-all-confirmed")).to_be_visible()
    expect(page.get_by_text("已确认").first).to_be_visible()


def _vote(page, case, position, reasoning):
    page.goto(f"/cases/{case.pk}/deliberation/")
    block = page.locator("[data-testid^='vote-block-']").first
    block.get_by_role("radio", name=position, exact=True).check()
    block.get_by_label("理由").fill(reasoning)
    block.get_by_role("button", name="表态").click()
    # htmx swaps the block in place: the page is not reloaded.
    expect(page.locator("[data-testid^='vote-block-']").first).to_contain_text("已记录您的表态")


def test_a_disputed_taian_case_through_every_stage(as_user, tmp_path, screenshot_dir):
    seed_demo_data()
    evidence_file = tmp_path / "检查记录.pdf"
    evidence_file.write_bytes(PDF_BYTES)

    # Inspector: draft, claim, intake facts, register, evidence.
    inspector = as_user("ta_inspector")
    case = _create_draft(
        inspector,
        summary="2026年3月5日，群众举报某超市销售过期食品，执法人员此前例行检查时未发现。",
        allegation="执法人员未能发现过期食品，涉嫌未履行监督检查职责。",
        officer_label="张执法（泰安市市场监督管理局）",
        place="泰安市泰山区",
        disputed=True,
    )
    _claim(inspector, case, "6.4")
    _record_fact(
        inspector,
        case,
        "intake",
        "inspection_plan_followed",
        "true",
    )
    inspector.goto(f"/cases/{case.pk}/")
    expect(
        inspector.get_by_test_id("still-to-establish-" + str(case.subject_officers.get().pk))
    ).to_contain_text("已经检查的监管对象因为检查内容以外的原因或者自身原因引发危害性事故")
    _move(inspector, case, "登记立案")
    case.refresh_from_db()
    expect(inspector.get_by_role("heading", name=case.number)).to_be_visible()
    inspector.get_by_label("证据文件").set_input_files(str(evidence_file))
    inspector.get_by_label("证据说明").fill("2026年度检查计划及检查记录")
    inspector.get_by_role("button", name="上传").click()
    expect(inspector.get_by_role("link", name="检查记录.pdf")).to_be_visible()
    inspector.screenshot(path=str(screenshot_dir / "10-taian-registered.png"), full_page=True)

    # Investigator: findings with evidence, the report, sign-off.
    investigator = as_user("ta_investigator")
    _move(investigator, case, "开始调查核实")
    for label, value in (
        (
            "inspection_plan_followed",
            "true",
        ),
        ("cause_outside_inspection_scope", "true"),
        ("fault_established", "false"),
    ):
        _record_fact(
            investigator,
            case,
            "investigation",
            label,
            value,
            note="见检查记录",
            evidence="检查记录.pdf",
        )
    _write_report(investigator, case, "6.4", "检查计划与记录相符")
    investigator.goto(f"/cases/{case.pk}/")
    # The Tai'an rule: a disputed case needs the panel's opinion first.
    expect(investigator.get_by_test_id("refusal-submit_for_deliberation")).to_contain_text(
        cases_errors.GUARD_DISPUTE_NEEDS_PANEL % {"regulation": case.regulation.title}
    )
    expect(investigator.get_by_role("button", name="提交集体研究")).to_be_disabled()
    investigator.screenshot(
        path=str(screenshot_dir / "11-taian-disputed-guard.png"), full_page=True
    )
    _move(investigator, case, "提请专家论证")

    # The panel: three experts, one dissent.
    investigator.goto(f"/cases/{case.pk}/expert/")
    for name in ("赵专家", "钟专家", "欧阳专家"):
        investigator.get_by_label(name).check()
    investigator.get_by_label("提请论证的问题").fill(
        "执法人员是否已按检查计划依法履行监督检查职责？"
    )
    investigator.locator("input[name='panel-disputed']").first.check()
    investigator.get_by_role("button", name="组织专家组").click()
    for username, position in (
        ("ta_expert", "同意适用"),
        ("ta_expert2", "同意适用"),
        ("ta_expert3", "部分同意"),
    ):
        expert = as_user(username)
        expert.goto(f"/cases/{case.pk}/expert/")
        expert.get_by_role("radio", name=position, exact=True).first.check()
        expert.get_by_label("理由").first.fill("检查记录完整，危害源于检查内容以外的原因。")
        expert.get_by_role("button", name="提交意见").first.click()
        expect(expert.get_by_role("alert").filter(has_text="已")).to_be_visible()
    expert.get_by_label("专家组结论").fill("专家组多数意见认为符合第六条第（四）项。")
    expert.get_by_label("不同意见").fill("欧阳专家认为检查频次偏低，部分同意。")
    expert.get_by_role("button", name="出具书面论证意见").click()
    expect(expert.get_by_text("专家组多数意见认为符合第六条第（四）项。")).to_be_visible()
    expert.screenshot(path=str(screenshot_dir / "12-taian-expert.png"), full_page=True)
    _move(investigator, case, "提交集体研究")

    # Leadership: the facts carried from the investigation, confirmed at once
    # (no re-entry); the meeting, positions, the chair last.
    leader = as_user("ta_leader")
    _confirm_carried_facts(leader, case, 3, screenshot_dir / "12b-taian-carried-facts.png")
    leader.goto(f"/cases/{case.pk}/deliberation/")
    leader.get_by_label("会议日期").fill("2026-11-20")
    leader.get_by_label("会议地点").fill("局党组会议室")
    for name in ("孙副局长", "周副局长", "钱局长"):
        leader.get_by_label(name).check()
    leader.get_by_label("主要负责人（末位表态）").select_option(label="钱局长")
    leader.get_by_role("button", name="召集会议").click()
    expect(leader.get_by_text("局党组会议室")).to_be_visible()

    inspector.goto(f"/cases/{case.pk}/deliberation/")
    inspector.get_by_label("认定结果").select_option("exempt")
    inspector.get_by_role("checkbox", name=re.compile(r"第六条第（四）项（")).check()
    inspector.get_by_label("认定理由").fill(
        "执法人员已按检查计划履行监督检查职责，危害源于检查内容以外的原因。"
    )
    inspector.get_by_role("button", name="提请表决").click()
    expect(inspector.get_by_test_id(re.compile(r"^determination-"))).to_contain_text("待表决")

    chair = as_user("ta_chair")
    chair.goto(f"/cases/{case.pk}/deliberation/")
    expect(chair.get_by_text("末位表态").first).to_be_visible()
    _vote(leader, case, "同意", "同意不予追究。")
    second = as_user("ta_leader2")
    _vote(second, case, "同意", "事实清楚，同意。")
    _vote(chair, case, "同意", "同意，按程序备案并公开。")
    chair.reload()
    expect(chair.get_by_text("同意 3")).to_be_visible()
    chair.get_by_test_id("close-vote").click()
    expect(chair.get_by_test_id("case-state")).to_have_text("已作出决定")
    assert chair.confirmations == [f"宣布表决结果：{CONSEQUENCES['vote_close']}"]
    chair.screenshot(path=str(screenshot_dir / "13-taian-decided.png"), full_page=True)
    assert Determination.objects.get(case=case).status == "adopted"

    # Closing waits for filing and publication under Tai'an.
    inspector.goto(f"/cases/{case.pk}/")
    expect(inspector.get_by_test_id("refusal-close")).to_contain_text(
        str(cases_errors.GUARD_FILE_AND_PUBLISH_BEFORE_CLOSING)
    )
    inspector.confirmations.clear()
    _move(inspector, case, "报纪检监察机关备案")
    _move(inspector, case, "公开决定")
    _move(inspector, case, "结案")
    expect(inspector.get_by_test_id("case-state")).to_have_text("已结案")
    # Each irreversible move asked first, naming its consequence.
    assert inspector.confirmations == [
        f"报纪检监察机关备案：{CONSEQUENCES['file']}",
        f"公开决定：{CONSEQUENCES['publish']}",
        f"结案：{CONSEQUENCES['close']}",
    ]
    expect(inspector.get_by_text("不予追究责任").first).to_be_visible()
    inspector.screenshot(path=str(screenshot_dir / "14-taian-closed.png"), full_page=True)


def test_a_lianyungang_case_ends_mitigated_with_an_article_12_measure(as_user, screenshot_dir):
    seed_demo_data()
    inspector = as_user("lyg_inspector")
    case = _create_draft(
        inspector,
        summary="2026年3月5日，某药店许可审查中执法人员遗漏一项材料，致许可证错误发放。",
        allegation="执法人员审查不严，错误发放许可证。",
        officer_label="韩执法（连云港市市场监督管理局）",
        place="连云港市海州区",
        disputed=False,
    )
    _claim(inspector, case, "9.2")
    _move(inspector, case, "登记立案")
    # Withdrawal is not a next step: it sits apart, in the danger zone.
    danger = inspector.get_by_test_id("danger-zone")
    expect(danger).to_contain_text("危险操作")
    expect(danger.get_by_role("button", name="撤销案件")).to_be_visible()
    next_step = inspector.locator("section[aria-labelledby='next-heading']")
    expect(next_step.get_by_role("button", name="撤销案件")).to_have_count(0)
    SHOTS.mkdir(parents=True, exist_ok=True)
    inspector.screenshot(path=str(SHOTS / "case-danger-zone.png"), full_page=True)

    investigator = as_user("lyg_investigator")
    _move(investigator, case, "开始调查核实")
    for label, value in (
        ("fault_established", "true"),
        ("gross_negligence", "true"),
        ("admitted_and_cooperated", "true"),
    ):
        _record_fact(investigator, case, "investigation", label, value, note="谈话笔录")
    _write_report(investigator, case, "9.2", "主动说明情况并配合调查")
    _move(investigator, case, "提交集体研究")

    leader = as_user("lyg_leader")
    _confirm_carried_facts(leader, case, 3)
    leader.goto(f"/cases/{case.pk}/deliberation/")
    leader.get_by_label("会议日期").fill("2026-11-21")
    leader.get_by_label("会议地点").fill("局长办公会会议室")
    for name in ("卫副局长", "韦副局长", "蒋局长"):
        leader.get_by_label(name).check()
    leader.get_by_label("主要负责人（末位表态）").select_option(label="蒋局长")
    leader.get_by_role("button", name="召集会议").click()

    leader.get_by_label("认定结果").select_option("mitigated")
    leader.get_by_role("checkbox", name=re.compile(r"第九条第（二）项（")).check()
    leader.get_by_label("处理措施").select_option("criticism_education")
    leader.get_by_label("认定理由").fill(
        "存在重大过失，但主动承认错误并积极配合调查，依第九条第（二）项从轻，依第十二条批评教育。"
    )
    leader.get_by_role("button", name="提请表决").click()
    _vote(leader, case, "同意", "同意从轻。")
    _vote(as_user("lyg_leader2"), case, "同意", "同意。")
    chair = as_user("lyg_chair")
    _vote(chair, case, "同意", "同意。")
    chair.reload()
    chair.get_by_test_id("close-vote").click()
    expect(chair.get_by_test_id("case-state")).to_have_text("已作出决定")
    determination = Determination.objects.get(case=case)
    assert (determination.outcome, determination.measure) == ("mitigated", "criticism_education")

    # No filing is required under Lianyungang: the case may close at once.
    _move(inspector, case, "结案")
    expect(inspector.get_by_test_id("case-state")).to_have_text("已结案")
    expect(inspector.get_by_text("从轻或者减轻追究责任").first).to_be_visible()
    inspector.screenshot(path=str(screenshot_dir / "20-lianyungang-closed.png"), full_page=True)
