from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from cases.models import Case
from cases.workflow import CaseState
from deliberation import errors as deliberation_errors
from deliberation.models import Determination, Meeting, MeetingMember, Vote
from deliberation.services import vote_record
from tests.conftest import built_once_per_module, for_one_test
from tests.factories import UserFactory
from tests.flows import unit_for
from tests.reviews.conftest import Stages, review_people

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
# Announcing the result cannot be undone: the form asks for confirmation.
CONFIRMED = {"confirm": "1"}
# The chair tries to state a position before the two members of the meeting.
CHAIR_WAITS = deliberation_errors.VOTE_CHAIR_LAST % {"names": "孙副局长、周副局长"}


def _url(case, name="deliberation", *args):
    return reverse(f"deliberation:{name}", args=[case.pk, *args])


def _convene(people, **overrides):
    data = {
        "convene-held_on": "2026-11-20",
        "convene-place": "局党组会议室",
        "convene-members": [people.chair.pk, people.leader.pk, people.leader2.pk],
        "convene-chair": people.chair.pk,
    }
    return data | overrides


def _proposal(so, outcome="exempt", cited=("6.4",), reasons="符合第六条第（四）项。", departure=""):
    prefix = f"propose-{so.pk}"
    return {
        f"{prefix}-outcome": outcome,
        f"{prefix}-cited_clauses": list(cited),
        f"{prefix}-measure": "",
        f"{prefix}-sanction": "",
        f"{prefix}-reasons": reasons,
        f"{prefix}-departure_reason": departure,
    }


def _vote(determination, position="agree", reasoning="同意，事实清楚。"):
    prefix = f"vote-{determination.pk}"
    return {f"{prefix}-position": position, f"{prefix}-reasoning": reasoning}


def _case_in_deliberation():
    # The unit and people of the fixtures (tests/conftest.py,
    # tests/reviews/conftest.py), made once for the module: its tests all
    # start from this case.
    unit = unit_for("taian", name="泰安市市场监督管理局", abbreviation="泰市监")
    inspector = UserFactory(
        username="inspector", display_name="王承办", units=[unit], roles=[Role.INSPECTOR]
    )
    people = review_people(unit, inspector)
    return SimpleNamespace(unit=unit, people=people, case=Stages(people, unit).deliberation())


_built = built_once_per_module(_case_in_deliberation)


@pytest.fixture
def built(_built, settings):
    return for_one_test(_built, settings)


# The shared unit and people stand in for the conftest's, so that `stages`
# (and the cases a test builds itself) use them too.
@pytest.fixture
def unit(built):
    return built.unit


@pytest.fixture
def people(built):
    return built.people


@pytest.fixture
def case(built):
    return built.case


@pytest.fixture
def meeting(stages, case):
    return stages.meeting(case)


@pytest.fixture
def determination(stages, case, meeting):
    return stages.proposed(meeting, case.subject_officers.get())


# --- the page -----------------------------------------------------------------------


def test_it_shows_the_convene_form_to_a_leader(client, people, case):
    client.force_login(people.leader)
    response = client.get(_url(case))
    assert response.status_code == 200
    page = response.content.decode()
    assert "召集集体研究会议" in page
    assert "钱局长" in page
    assert "不予追究责任" in page  # the engine's proposal at deliberation


def test_it_shows_no_convene_form_to_an_inspector(client, people, case):
    client.force_login(people.inspector)
    response = client.get(_url(case))
    assert response.context["convene_form"] is None


def test_it_hides_the_case_from_another_unit(client, case, other_unit):
    client.force_login(UserFactory(units=[other_unit], roles=[Role.LEADERSHIP_CHAIR]))
    assert client.get(_url(case)).status_code == 404


def test_it_refuses_a_post_to_the_page(client, people, case):
    client.force_login(people.chair)
    assert client.post(_url(case)).status_code == 405


def test_it_shows_the_proposal_form_with_the_engines_outcome(client, people, case, meeting):
    client.force_login(people.inspector)
    page = client.get(_url(case)).content.decode()
    assert "系统建议：不予追究责任。认定结果与系统建议不一致" in page
    assert "须写明理由" in page
    assert "第六条第（四）项（免责）✓ 成立" in page


def test_the_proposal_form_cites_clauses_in_the_readers_language(client, people, case, meeting):
    client.force_login(people.inspector)
    client.cookies["django_language"] = "en"
    page = client.get(_url(case)).content.decode()
    assert "Art. 6(4) (Exemption) ✓ Met" in page
    assert "（免责）" not in page and "6.4（" not in page


# --- convening -----------------------------------------------------------------------


def test_the_chair_convenes_a_meeting(client, people, case):
    client.force_login(people.chair)
    response = client.post(_url(case, "meeting_convene"), _convene(people), follow=True)
    assert "已召集集体研究会议。" in response.content.decode()
    meeting = Meeting.objects.get(case=case)
    assert meeting.members.count() == 3
    assert meeting.members.get(is_chair=True).user == people.chair


def test_convene_refuses_get(client, people, case):
    client.force_login(people.chair)
    assert client.get(_url(case, "meeting_convene")).status_code == 405


def test_convene_is_refused_to_an_inspector(client, people, case):
    client.force_login(people.inspector)
    assert client.post(_url(case, "meeting_convene"), _convene(people)).status_code == 403
    assert not Meeting.objects.filter(case=case).exists()


def test_a_repeated_convene_is_harmless(client, people, case):
    client.force_login(people.chair)
    client.post(_url(case, "meeting_convene"), _convene(people), follow=True)
    response = client.post(_url(case, "meeting_convene"), _convene(people), follow=True)
    assert str(deliberation_errors.MEETING_ALREADY_OPEN) in response.content.decode()
    assert Meeting.objects.filter(case=case).count() == 1


def test_a_chair_outside_the_members_is_refused_next_to_the_field(client, people, case):
    client.force_login(people.chair)
    data = _convene(people, **{"convene-members": [people.leader.pk, people.leader2.pk]})
    response = client.post(_url(case, "meeting_convene"), data)
    assert response.status_code == 200
    assert response.context["convene_form"].errors["chair"] == [
        str(deliberation_errors.CHAIR_NOT_A_MEMBER)
    ]
    assert not Meeting.objects.filter(case=case).exists()


# --- attendance ----------------------------------------------------------------------


def _member(meeting, user):
    return MeetingMember.objects.get(meeting=meeting, user=user)


def test_a_leader_records_a_recusal(client, people, case, meeting):
    member = _member(meeting, people.leader2)
    client.force_login(people.leader)
    data = {
        f"member-{member.pk}-attendance": "recused",
        f"member-{member.pk}-reason": "与当事人系近亲属",
    }
    response = client.post(_url(case, "attendance", member.pk), data, follow=True)
    assert "已记录周副局长：回避" in response.content.decode()
    member.refresh_from_db()
    assert (member.attendance, member.recusal_reason) == ("recused", "与当事人系近亲属")


def test_attendance_refuses_get(client, people, case, meeting):
    client.force_login(people.leader)
    assert (
        client.get(_url(case, "attendance", _member(meeting, people.leader2).pk)).status_code == 405
    )


def test_attendance_is_refused_to_an_inspector(client, people, case, meeting):
    member = _member(meeting, people.leader2)
    client.force_login(people.inspector)
    data = {f"member-{member.pk}-attendance": "absent"}
    assert client.post(_url(case, "attendance", member.pk), data).status_code == 403
    member.refresh_from_db()
    assert member.attendance == "present"


def test_a_recusal_without_reason_is_refused_next_to_the_field(client, people, case, meeting):
    member = _member(meeting, people.leader2)
    client.force_login(people.leader)
    response = client.post(
        _url(case, "attendance", member.pk), {f"member-{member.pk}-attendance": "recused"}
    )
    assert response.status_code == 200
    row = next(r for r in response.context["attendance"] if r["member"].pk == member.pk)
    assert row["form"].errors["reason"] == [str(deliberation_errors.RECUSAL_REASON_MISSING)]


def test_a_repeated_attendance_is_harmless(client, people, case, meeting):
    member = _member(meeting, people.leader2)
    client.force_login(people.leader)
    data = {
        f"member-{member.pk}-attendance": "absent",
        f"member-{member.pk}-written_opinion": "同意。",
    }
    client.post(_url(case, "attendance", member.pk), data)
    client.post(_url(case, "attendance", member.pk), data)
    member.refresh_from_db()
    assert (member.attendance, member.written_opinion) == ("absent", "同意。")
    assert MeetingMember.objects.filter(meeting=meeting).count() == 3


def test_attendance_is_locked_once_voting_starts(client, people, case, meeting, determination):
    vote_record(
        actor=people.leader, determination=determination, position="agree", reasoning="同意"
    )
    member = _member(meeting, people.leader2)
    client.force_login(people.leader)
    page = client.get(_url(case)).content.decode()
    assert "表决已经开始，出席情况不能再修改。" in page
    data = {f"member-{member.pk}-attendance": "absent"}
    response = client.post(_url(case, "attendance", member.pk), data, follow=True)
    assert str(deliberation_errors.ATTENDANCE_FIXED_AFTER_VOTING_BEGAN) in response.content.decode()


# --- proposing -----------------------------------------------------------------------


def test_the_inspector_proposes_a_determination(client, people, case, meeting):
    so = case.subject_officers.get()
    client.force_login(people.inspector)
    response = client.post(_url(case, "determination_propose", so.pk), _proposal(so), follow=True)
    assert "已提出对" in response.content.decode()
    determination = Determination.objects.get(case=case)
    assert (determination.outcome, determination.engine_outcome) == ("exempt", "exempt")
    assert determination.cited_clauses == ["6.4"]


def test_propose_refuses_get(client, people, case, meeting):
    client.force_login(people.inspector)
    so = case.subject_officers.get()
    assert client.get(_url(case, "determination_propose", so.pk)).status_code == 405


def test_propose_is_refused_to_an_expert(client, people, case, meeting):
    so = case.subject_officers.get()
    client.force_login(people.experts[0])
    # Need-to-know: an expert off the case's panel reads nothing of it.
    assert client.post(_url(case, "determination_propose", so.pk), _proposal(so)).status_code == 404
    assert not Determination.objects.filter(case=case).exists()


def test_a_repeated_proposal_is_harmless(client, people, case, meeting, determination):
    so = case.subject_officers.get()
    client.force_login(people.inspector)
    response = client.post(
        _url(case, "determination_propose", so.pk), _proposal(so, reasons="又一次"), follow=True
    )
    # The form is gone once a determination is proposed; the refusal is shown on top.
    assert str(deliberation_errors.ALREADY_PROPOSED) in response.content.decode()
    assert Determination.objects.filter(case=case).count() == 1


def test_a_departure_without_reason_is_refused_next_to_the_field(client, people, case, meeting):
    so = case.subject_officers.get()
    client.force_login(people.inspector)
    response = client.post(
        _url(case, "determination_propose", so.pk), _proposal(so, outcome="liable", cited=())
    )
    assert response.status_code == 200
    form = next(o["proposal_form"] for o in response.context["officers"])
    message = deliberation_errors.DEPARTS_FROM_PROPOSAL % {"proposal": "不予追究责任"} + str(
        deliberation_errors.DEPARTURE_REASON_MISSING
    )
    assert form.errors["departure_reason"] == [message]
    page = response.content.decode()
    field = page.index(f'id="id_propose-{so.pk}-departure_reason"')
    assert page.index(message) > field  # right under the field
    assert not Determination.objects.filter(case=case).exists()


def test_a_departure_with_reason_is_shown_plainly(client, people, case, meeting):
    so = case.subject_officers.get()
    client.force_login(people.inspector)
    data = _proposal(so, outcome="liable", cited=(), departure="检查记录系事后补写。")
    response = client.post(_url(case, "determination_propose", so.pk), data, follow=True)
    page = response.content.decode()
    assert "偏离系统建议：系统建议“不予追究责任”，认定为“追究责任”。" in page
    assert "检查记录系事后补写。" in page


# --- voting --------------------------------------------------------------------------


def test_a_member_votes(client, people, case, determination):
    client.force_login(people.leader)
    response = client.post(_url(case, "vote", determination.pk), _vote(determination), follow=True)
    page = response.content.decode()
    assert "已记录您的表态。" in page
    assert "同意，事实清楚。" in page
    assert Vote.objects.get(determination__case=case).member.user == people.leader


def test_vote_refuses_get(client, people, case, determination):
    client.force_login(people.leader)
    assert client.get(_url(case, "vote", determination.pk)).status_code == 405


def test_vote_is_refused_to_an_inspector_and_to_a_leader_not_at_the_meeting(
    client, people, case, determination, unit
):
    client.force_login(people.inspector)
    assert (
        client.post(_url(case, "vote", determination.pk), _vote(determination)).status_code == 403
    )
    client.force_login(UserFactory(units=[unit], roles=[Role.LEADERSHIP_MEMBER]))
    assert (
        client.post(_url(case, "vote", determination.pk), _vote(determination)).status_code == 403
    )
    assert not Vote.objects.filter(determination__case=case).exists()


def test_a_second_vote_is_refused_and_the_first_kept(client, people, case, determination):
    client.force_login(people.leader)
    client.post(_url(case, "vote", determination.pk), _vote(determination), follow=True)
    response = client.post(
        _url(case, "vote", determination.pk), _vote(determination, "disagree"), follow=True
    )
    assert str(deliberation_errors.ALREADY_VOTED) in response.content.decode()
    positions = Vote.objects.filter(determination__case=case).values_list("position", flat=True)
    assert list(positions) == ["agree"]


def test_the_chair_voting_before_the_others_is_refused(client, people, case, determination):
    client.force_login(people.chair)
    response = client.post(_url(case, "vote", determination.pk), _vote(determination), follow=True)
    assert CHAIR_WAITS in response.content.decode()
    assert not Vote.objects.filter(determination__case=case).exists()


def test_a_vote_without_reasoning_is_refused_next_to_the_field(client, people, case, determination):
    client.force_login(people.leader)
    response = client.post(_url(case, "vote", determination.pk), _vote(determination, reasoning=""))
    assert response.status_code == 200
    block = response.context["officers"][0]["vote"]
    assert block["form"].errors["reasoning"] == ["这个字段是必填项。"]


def test_an_htmx_vote_returns_the_block_with_the_new_tally(client, people, case, determination):
    vote_record(
        actor=people.leader, determination=determination, position="agree", reasoning="同意"
    )
    client.force_login(people.leader2)
    response = client.post(_url(case, "vote", determination.pk), _vote(determination), **HTMX)
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "deliberation/_officer_vote.html"
    page = response.content.decode()
    assert "<html" not in page
    assert f'id="vote-{determination.pk}"' in page
    assert "同意 2，不同意 0，弃权 0" in page
    assert "按目前表态可以通过" in page
    assert "已记录您的表态。" in page
    assert Vote.objects.filter(determination__case=case).count() == 2


def test_an_htmx_vote_of_the_chair_too_early_shows_the_refusal_in_the_block(
    client, people, case, determination
):
    client.force_login(people.chair)
    response = client.post(_url(case, "vote", determination.pk), _vote(determination), **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert CHAIR_WAITS in page
    assert "同意，事实清楚。" in page  # the chair's text is kept in the form
    assert not Vote.objects.filter(determination__case=case).exists()


# --- closing -------------------------------------------------------------------------


def _all_voted(people, determination):
    for user, position in (
        (people.leader, "agree"),
        (people.leader2, "disagree"),
        (people.chair, "agree"),
    ):
        vote_record(actor=user, determination=determination, position=position, reasoning="理由")


def test_the_chair_closes_the_vote(client, people, case, meeting, determination):
    _all_voted(people, determination)
    client.force_login(people.chair)
    response = client.post(_url(case, "vote_close", meeting.pk), CONFIRMED, follow=True)
    page = response.content.decode()
    assert "已宣布表决结果。" in page
    assert "表决通过" in page
    assert "同意 2，不同意 1，弃权 0" in page
    determination.refresh_from_db()
    assert determination.status == "adopted"
    assert Case.objects.get(pk=case.pk).state == CaseState.DECIDED
    # Closed, the meeting is read-only.
    assert response.context["meeting"] is None
    assert f'action="{_url(case, "vote", determination.pk)}"' not in page


def test_close_refuses_get(client, people, case, meeting):
    client.force_login(people.chair)
    assert client.get(_url(case, "vote_close", meeting.pk)).status_code == 405


def test_close_is_refused_to_a_member_who_is_not_the_chair(
    client, people, case, meeting, determination
):
    _all_voted(people, determination)
    client.force_login(people.leader)
    assert client.post(_url(case, "vote_close", meeting.pk)).status_code == 403
    assert Meeting.objects.get(case=case).is_open


def test_close_before_everyone_voted_is_refused(client, people, case, meeting, determination):
    client.force_login(people.chair)
    response = client.post(_url(case, "vote_close", meeting.pk), CONFIRMED, follow=True)
    officer = case.subject_officers.get().officer.name
    assert deliberation_errors.VOTES_MISSING % {"officer": officer} in response.content.decode()
    assert Meeting.objects.get(case=case).is_open


def test_a_repeated_close_is_harmless(client, people, case, meeting, determination):
    _all_voted(people, determination)
    client.force_login(people.chair)
    client.post(_url(case, "vote_close", meeting.pk), CONFIRMED, follow=True)
    response = client.post(_url(case, "vote_close", meeting.pk), CONFIRMED, follow=True)
    assert str(deliberation_errors.VOTE_ALREADY_CLOSED) in response.content.decode()
    determination.refresh_from_db()
    assert determination.status == "adopted"


# --- queries ---------------------------------------------------------------------------


def _voting_case(stages, people, officers):
    case = stages.deliberation(officers=officers)
    meeting = stages.meeting(case)
    for so in case.subject_officers.all():
        determination = stages.proposed(meeting, so)
        vote_record(
            actor=people.leader, determination=determination, position="agree", reasoning="同意"
        )
    return case


def test_the_page_runs_the_same_queries_for_one_officer_or_two(client, people, stages):
    one = _voting_case(stages, people, 1)
    two = _voting_case(stages, people, 2)
    client.force_login(people.leader2)
    client.get(_url(one))
    counts = []
    for case in (one, two):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(case)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # 30, and the similar decided cases' candidates (deliberation.precedents: one
    # query when no decided case is alike, at most four with precedents).
    assert counts[0] <= 31


def test_a_proposal_without_an_open_meeting_is_refused(client, people, case):
    so = case.subject_officers.get()
    client.force_login(people.inspector)
    response = client.post(_url(case, "determination_propose", so.pk), _proposal(so), follow=True)
    assert str(deliberation_errors.NO_OPEN_MEETING) in response.content.decode()
    assert not Determination.objects.filter(case=case).exists()


def test_a_proposal_for_an_officer_of_another_case_is_404(client, people, stages, case, meeting):
    other = stages.deliberation().subject_officers.get()
    client.force_login(people.inspector)
    response = client.post(_url(case, "determination_propose", other.pk), _proposal(other))
    assert response.status_code == 404
