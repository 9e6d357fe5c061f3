"""The meeting page with similar decided cases, in Chromium: the leader sees
the closest decided cases (the unit's with a link, another unit's as an
anonymous summary), the spread per clause and the majority of the close
precedents; a proposal departing from it is refused until a reason is
written, then put to the vote; the case page shows the same cases."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cases.workflow import CaseState
from deliberation.models import Determination
from tests import flows
from tests.factories import UnitFactory
from tests.reviews_services.test_precedents import SAME_FACTS, precedent

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = "/tmp/shots_h19p"


def test_meeting_page_shows_precedents_and_asks_a_reason_for_departing(as_user):
    flow = flows.taian_case_at(CaseState.DELIBERATION, disputed=False)
    flows.deliberation_facts(flow)
    flows.convene(flow)
    unit = flow.case.unit
    own = [precedent(unit, outcome="liable", clauses=["6.4"], facts=SAME_FACTS) for _ in range(3)]
    stranger_unit = UnitFactory(jurisdiction="taian", name="泰安市某某区市场监督管理局")
    stranger = precedent(stranger_unit, outcome="exempt", clauses=["6.4"], facts=SAME_FACTS)
    so = flow.officer

    page = as_user(flow.staff.leaders[0])
    page.goto(reverse("deliberation:deliberation", args=[flow.case.pk]))
    panel = page.get_by_test_id(f"precedents-{so.pk}")
    expect(panel.get_by_role("heading", name="类似已决案例")).to_be_visible()
    expect(panel.get_by_test_id("precedent-row")).to_have_count(4)
    expect(panel.get_by_role("link", name=own[0].number)).to_be_visible()
    expect(panel.get_by_test_id("precedent-anonymous")).to_have_count(1)
    expect(panel).not_to_contain_text(stranger.number)
    expect(panel).not_to_contain_text(stranger_unit.name)
    expect(page.get_by_test_id(f"precedents-majority-{so.pk}")).to_contain_text(
        "最相似的4件已决案例中有3件认定为“追究责任”"
    )
    spread = page.get_by_test_id(f"precedents-spread-{so.pk}")
    expect(spread).to_contain_text("追究责任 3")
    expect(spread).to_contain_text("不予追究责任 1")
    panel.scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/meeting_precedents.png", full_page=True)

    # Proposing exempt (the engine's proposal) departs from the precedents.
    form = page.locator("form").filter(has=page.get_by_label("认定理由"))
    form.locator("input[type=checkbox][value='6.4']").check()
    form.get_by_label("认定理由").fill("符合《泰安办法》第六条第（四）项，不予追究责任。")
    form.get_by_role("button", name="提请表决").click()
    expect(page.get_by_text("本认定结果与之不一致，须书面写明理由")).to_be_visible()
    assert not Determination.objects.filter(case=flow.case).exists()
    page.get_by_text("本认定结果与之不一致，须书面写明理由").scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/meeting_precedent_departure_refused.png")

    form = page.locator("form").filter(has=page.get_by_label("认定理由"))
    form.get_by_label("与类似案例多数结果不一致的理由").fill(
        "本案已按计划检查，过期食品系检查后进货。"
    )
    form.get_by_role("button", name="提请表决").click()
    expect(page.get_by_text("请参会成员表态")).to_be_visible()
    determination = Determination.objects.get(case=flow.case)
    assert determination.precedent_departure_reason == "本案已按计划检查，过期食品系检查后进货。"

    # The case page shows the same cases beside the matrix.
    page.goto(reverse("cases:detail", args=[flow.case.pk]))
    case_panel = page.get_by_test_id(f"precedents-{so.pk}")
    expect(case_panel.get_by_role("link", name=own[0].number)).to_be_visible()
    expect(case_panel).not_to_contain_text(stranger.number)
    case_panel.scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/case_page_precedents.png")
