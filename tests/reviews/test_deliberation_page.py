"""The leadership meeting page as the members read and use it: per officer
the engine's proposal, the clause matrix, the panel's and the report's view
(compact, full texts behind a disclosure); a departure said in words; vote
controls with visible labels; htmx votes and polls that bring the tally,
announce it and keep the chair's close button in step."""

import re

import pytest
import tinyhtml5
from django.urls import reverse

from accounts.roles import Role
from cases.workflow import CaseState
from deliberation.models import Meeting, Vote
from deliberation.services import vote_close, vote_record
from tests.conftest import built_once_per_module, for_one_test
from tests.factories import UnitFactory, UserFactory
from tests.flows import convene, deliberation_facts, propose, taian_case_at

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
DEPARTURE = "调查认定不存在执法过错，应认定为不构成执法过错。"


def _convened_case():
    flow = taian_case_at(CaseState.DELIBERATION, officers=2)
    deliberation_facts(flow)
    convene(flow)
    return flow


# Every test starts from this case, so it is built once for the module.
_convened_built = built_once_per_module(_convened_case)


@pytest.fixture
def flow(_convened_built, settings):
    """A disputed Tai'an case with two officers in deliberation: report signed,
    panel concluded with a dissent, the facts held, a meeting convened."""
    return for_one_test(_convened_built, settings)


@pytest.fixture
def determination(flow):
    return propose(flow)


def _url(flow, name="deliberation", *args):
    return reverse(f"deliberation:{name}", args=[flow.case.pk, *args])


def _page(client, flow, user):
    client.force_login(user)
    response = client.get(_url(flow))
    assert response.status_code == 200
    return response.content.decode()


def _tree(html: str):
    return tinyhtml5.parse(html, namespace_html_elements=False)


def _by_id(tree, element_id):
    return next(e for e in tree.iter() if e.get("id") == element_id)


def _text(element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def _vote(determination, position="agree", reasoning="同意，事实清楚。"):
    prefix = f"vote-{determination.pk}"
    return {f"{prefix}-position": position, f"{prefix}-reasoning": reasoning}


def _tally_url(flow, determination, seen=""):
    return _url(flow, "vote_tally", determination.pk) + (f"?seen={seen}" if seen else "")


# --- what each officer's section shows --------------------------------------------------


def test_it_shows_each_officer_the_proposal_matrix_report_and_panel(client, flow):
    tree = _tree(_page(client, flow, flow.staff.leaders[0]))
    for so in flow.subject_officers:
        section = _text(_by_id(tree, f"officer-{so.pk}"))
        assert "系统建议（集体研究阶段的事实）：不予追究责任" in section
        assert f"{so.officer.name}（{so.get_part_display()}）的条款矩阵" in section
        assert "调查结论：调查组认为：6.4" in section
        assert "6.4：符合" in section
        assert "6.4：同意适用 2 人，不同意适用 1 人" in section
        assert "专家组结论：专家组多数意见认为当事执法人员已依法履行监督检查职责。" in section
        assert "有不同意见：一名专家认为检查记录不完整，不同意适用。" in section


def test_the_full_texts_are_behind_a_disclosure(client, flow):
    tree = _tree(_page(client, flow, flow.staff.leaders[0]))
    so = flow.officer
    report = next(e for e in tree.iter("details") if e.get("data-testid") == f"report-full-{so.pk}")
    panel = next(e for e in tree.iter("details") if e.get("data-testid") == f"panel-full-{so.pk}")
    assert _text(report.find("summary")) == "调查报告全文"
    assert "经调取检查记录、询问当事人，查明如下事实" in _text(report)
    assert "已按“双随机、一公开”计划检查，过期食品系检查后进货。" in _text(report)
    assert _text(panel.find("summary")) == "专家论证意见全文"
    assert "提请论证的问题：当事执法人员是否已依法履行监督检查职责？" in _text(panel)
    assert "不同意适用——检查记录不完整。" in _text(panel)
    # Collapsed by default: the long texts do not crowd the compact view.
    assert report.get("open") is None and panel.get("open") is None


def test_a_long_report_conclusion_is_cut_in_the_compact_view_and_whole_behind(client, flow):
    report = flow.case.investigation_report
    long_text = "调查组认为" + "经查明的事实" * 30 + "结论完毕。"
    type(report).objects.filter(pk=report.pk).update(conclusion=long_text)
    tree = _tree(_page(client, flow, flow.staff.leaders[0]))
    compact = next(
        e for e in tree.iter() if e.get("data-testid") == f"report-conclusion-{flow.officer.pk}"
    )
    assert "结论完毕。" not in _text(compact)
    assert len(_text(compact)) <= len("调查结论：") + 80
    full = next(
        e for e in tree.iter("details") if e.get("data-testid") == f"report-full-{flow.officer.pk}"
    )
    assert "结论完毕。" in _text(full)


def test_a_case_without_a_panel_says_so(client, catalogs):
    flow = taian_case_at(CaseState.DELIBERATION, disputed=False)
    page = _page(client, flow, flow.staff.leaders[0])
    assert "本案未经专家论证。" in page
    assert "专家论证意见全文" not in page


# --- departures in words ----------------------------------------------------------------


def test_a_departing_determination_is_said_in_words(client, flow):
    determination = propose(flow, outcome="no_fault", cited_clauses=[], departure_reason=DEPARTURE)
    tree = _tree(_page(client, flow, flow.staff.leaders[0]))
    section = _text(_by_id(tree, f"officer-{flow.officer.pk}"))
    assert "认定意见与系统建议不同" in section
    assert "不予追究责任（与认定结果不同）" in section
    assert "偏离系统建议：系统建议“不予追究责任”，认定为“不构成执法过错”。" in section
    assert f"理由：{DEPARTURE}" in section
    assert determination.departs_from_proposal


def test_a_determination_following_the_engine_says_it_agrees(client, flow, determination):
    tree = _tree(_page(client, flow, flow.staff.leaders[0]))
    section = _text(_by_id(tree, f"officer-{flow.officer.pk}"))
    assert "不予追究责任（与认定结果一致）" in section
    assert "认定意见与系统建议不同" not in section
    assert "偏离系统建议" not in section


def test_the_departure_stays_in_words_after_the_vote_closes(client, flow):
    determination = propose(flow, outcome="no_fault", cited_clauses=[], departure_reason=DEPARTURE)
    for user in flow.staff.meeting_members:
        vote_record(actor=user, determination=determination, position="agree", reasoning="同意")
    vote_close(actor=flow.staff.chair, meeting=flow.meeting)
    page = _page(client, flow, flow.staff.inspector)
    assert "偏离系统建议：系统建议“不予追究责任”，认定为“不构成执法过错”。" in page
    assert "表决通过" in page


# --- controls and their labels --------------------------------------------------------------


def _visible_label_for(tree, control) -> str:
    label = next((e for e in tree.iter("label") if e.get("for") == control.get("id")), None)
    assert label is not None, f"no label for {control.get('id')}"
    assert "visually-hidden" not in (label.get("class") or "")
    return _text(label)


def test_every_vote_control_has_a_visible_label(client, flow, determination):
    tree = _tree(_page(client, flow, flow.staff.leaders[0]))
    form = next(
        e for e in _by_id(tree, f"vote-{determination.pk}").iter("form") if e.get("hx-post")
    )
    controls = [e for e in form.iter() if e.tag in ("input", "textarea", "select", "button")]
    labels = [
        _visible_label_for(tree, e)
        for e in controls
        if e.tag != "button" and e.get("type") != "hidden"
    ]
    assert labels == ["同意", "不同意", "弃权", "理由*"]
    legend = next(form.iter("legend"))
    assert _text(legend) == "表态*"
    button = next(e for e in controls if e.tag == "button")
    assert (_text(button), button.get("type")) == ("表态", "submit")
    # Nothing is taken out of the tab order.
    assert all(e.get("tabindex") in (None, "0") for e in controls)
    assert form.get("action") == form.get("hx-post")  # works without JavaScript too


def test_every_attendance_control_has_a_visible_label(client, flow):
    tree = _tree(_page(client, flow, flow.staff.chair))
    table = _by_id(tree, "attendance")
    controls = [
        e
        for e in table.iter()
        if e.tag in ("select", "textarea") or (e.tag == "input" and e.get("type") != "hidden")
    ]
    assert len(controls) == 3 * len(flow.staff.meeting_members)
    assert {_visible_label_for(tree, e) for e in controls} == {
        "出席情况",
        "回避理由",
        "书面意见（缺席时）",
    }


def test_the_page_has_a_live_region_for_the_tally(client, flow, determination):
    tree = _tree(_page(client, flow, flow.staff.leaders[0]))
    region = _by_id(tree, "meeting-announcer")
    assert region.get("aria-live") == "polite"
    assert region.get("role") == "status"


def test_the_vote_record_polls_while_the_meeting_is_open(client, flow, determination):
    tree = _tree(_page(client, flow, flow.staff.leaders[0]))
    record = _by_id(tree, f"vote-record-{determination.pk}")
    assert record.get("hx-get") == _tally_url(flow, determination)
    assert record.get("hx-trigger") == "every 5s"
    assert record.get("hx-vals") == '{"seen": "open-0"}'


# --- the chair's close button ------------------------------------------------------------------


def test_the_close_button_waits_for_every_position_and_says_whose(client, flow, determination):
    leader = flow.staff.leaders[0]
    vote_record(actor=leader, determination=determination, position="agree", reasoning="同意")
    tree = _tree(_page(client, flow, flow.staff.chair))
    close = _by_id(tree, "meeting-close")
    button = next(close.iter("button"))
    assert button.get("disabled") is not None
    assert button.get("aria-describedby") == "close-why"
    why = _text(_by_id(tree, "close-why"))
    others = [u.get_full_name() for u in flow.staff.meeting_members if u != leader]
    assert why == f"出席成员全部表态后方可宣布。尚待表态：张执法——{'、'.join(others)}"


def test_the_close_button_waits_for_a_proposal(client, flow):
    tree = _tree(_page(client, flow, flow.staff.chair))
    assert _text(_by_id(tree, "close-why")) == "尚未提出认定意见，暂不能宣布。"


def test_the_close_button_is_offered_once_everyone_has_voted(client, flow):
    for so in flow.subject_officers:
        determination = propose(flow, so)
        for user in flow.staff.meeting_members:
            vote_record(actor=user, determination=determination, position="agree", reasoning="同")
    tree = _tree(_page(client, flow, flow.staff.chair))
    close = _by_id(tree, "meeting-close")
    form = next(close.iter("form"))
    assert form.get("action") == _url(flow, "vote_close", flow.meeting.pk)
    assert next(form.iter("button")).get("disabled") is None
    assert "close-why" not in {e.get("id") for e in tree.iter()}


def test_only_the_chair_sees_the_close_button(client, flow, determination):
    page = _page(client, flow, flow.staff.leaders[0])
    assert 'id="meeting-close"' not in page


# --- htmx: a vote, and the polls ----------------------------------------------------------------


def test_an_htmx_vote_returns_the_block_the_announcement_and_focus(client, flow, determination):
    client.force_login(flow.staff.leaders[0])
    response = client.post(_url(flow, "vote", determination.pk), _vote(determination), **HTMX)
    assert response.status_code == 200
    tree = _tree(response.content.decode())
    tally = _text(
        next(e for e in tree.iter() if e.get("data-testid") == f"tally-{determination.pk}")
    )
    assert "同意 1，不同意 0，弃权 0" in tally
    status = next(
        e for e in tree.iter() if e.get("data-testid") == f"vote-recorded-{determination.pk}"
    )
    assert status.get("autofocus") is not None and status.get("tabindex") == "-1"
    announcer = _by_id(tree, "meeting-announcer")
    assert announcer.get("hx-swap-oob") == "innerHTML"
    assert (
        _text(announcer)
        == "已记录您的表态。对张执法的认定意见：同意 1，不同意 0，弃权 0。尚有 2 人未表态。"
    )
    # The new record polls on from what it shows.
    assert _by_id(tree, f"vote-record-{determination.pk}").get("hx-vals") == '{"seen": "open-1"}'
    # Only the chair's page has a close button to update.
    assert "meeting-close" not in {e.get("id") for e in tree.iter()}
    assert Vote.objects.get(determination__case=flow.case).member.user == flow.staff.leaders[0]


def test_an_htmx_vote_refused_for_a_missing_reason_focuses_a_summary(client, flow, determination):
    client.force_login(flow.staff.leaders[0])
    data = _vote(determination, reasoning="")
    response = client.post(_url(flow, "vote", determination.pk), data, **HTMX)
    tree = _tree(response.content.decode())
    summary = next(
        e for e in tree.iter() if e.get("role") == "alert" and e.get("autofocus") is not None
    )
    assert _text(summary) == "表态未记录，请按下面的提示更正。"
    assert "这个字段是必填项。" in response.content.decode()
    assert not Vote.objects.filter(determination__case=flow.case).exists()


def test_the_chairs_last_htmx_vote_brings_the_close_button_to_life(client, flow, determination):
    for user in flow.staff.leaders:
        vote_record(actor=user, determination=determination, position="agree", reasoning="同意")
    client.force_login(flow.staff.chair)
    response = client.post(_url(flow, "vote", determination.pk), _vote(determination), **HTMX)
    tree = _tree(response.content.decode())
    close = _by_id(tree, "meeting-close")
    assert close.get("hx-swap-oob") == "true"
    # Two officers: the other has no determination yet, which does not hold the close.
    assert next(close.iter("button")).get("disabled") is None
    assert "出席成员均已表态。" in _text(_by_id(tree, "meeting-announcer"))


def test_a_poll_with_nothing_new_answers_204(client, flow, determination):
    client.force_login(flow.staff.chair)
    response = client.get(_tally_url(flow, determination, "open-0"), **HTMX)
    assert response.status_code == 204
    assert response.content == b""


def test_a_poll_brings_another_members_vote(client, flow, determination):
    client.force_login(flow.staff.chair)
    vote_record(
        actor=flow.staff.leaders[1],
        determination=determination,
        position="disagree",
        reasoning="不同意",
    )
    response = client.get(_tally_url(flow, determination, "open-0"), **HTMX)
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "deliberation/_meeting_poll.html"
    html = response.content.decode()
    assert "<form" not in html.split('id="meeting-close"')[0]  # the chair's form is left alone
    tree = _tree(html)
    record = _by_id(tree, f"vote-record-{determination.pk}")
    assert "同意 0，不同意 1，弃权 0" in _text(record)
    assert record.get("hx-vals") == '{"seen": "open-1"}'
    assert _text(_by_id(tree, "meeting-announcer")).startswith(
        "对张执法的认定意见：同意 0，不同意 1"
    )
    assert "尚待表态：张执法——" in _text(_by_id(tree, "close-why"))


def test_a_poll_after_the_close_shows_the_result_and_stops(client, flow, determination):
    for user in flow.staff.meeting_members:
        vote_record(actor=user, determination=determination, position="agree", reasoning="同意")
    vote_close(actor=flow.staff.chair, meeting=flow.meeting)
    client.force_login(flow.staff.leaders[0])
    response = client.get(_tally_url(flow, determination, "open-3"), **HTMX)
    tree = _tree(response.content.decode())
    record = _by_id(tree, f"vote-record-{determination.pk}")
    assert "表决通过" in _text(record)
    assert record.get("hx-trigger") is None
    assert Meeting.objects.get(case=flow.case).status == Meeting.Status.CLOSED


def test_a_poll_is_refused_outside_the_unit_and_for_another_cases_determination(
    client, flow, determination, catalogs
):
    outsider = UserFactory(units=[UnitFactory()], roles=[Role.LEADERSHIP_CHAIR])
    client.force_login(outsider)
    assert client.get(_tally_url(flow, determination), **HTMX).status_code == 404
    other = taian_case_at(CaseState.DELIBERATION, unit=flow.staff.unit, staff=flow.staff)
    client.force_login(flow.staff.chair)
    url = reverse("deliberation:vote_tally", args=[other.case.pk, determination.pk])
    assert client.get(url, **HTMX).status_code == 404


def test_a_poll_refuses_post(client, flow, determination):
    client.force_login(flow.staff.chair)
    assert client.post(_tally_url(flow, determination)).status_code == 405
