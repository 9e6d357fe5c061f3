"""The rule functions the services enforce and the pages ask (views never
repeat a rule): the vote's availability, the chair's turn, what is missing
before the result, and who may set up a panel."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.workflow import CaseState
from deliberation import errors as deliberation_errors
from deliberation.models import MeetingMember
from deliberation.services import (
    chair_waits_for,
    vote_close,
    vote_record,
    vote_refusal,
    votes_missing,
)
from panel import errors as panel_errors
from panel.services import panel_set_up_refusal
from tests import flows

pytestmark = pytest.mark.django_db


def seat(flow, user) -> MeetingMember:
    return flow.meeting.members.get(user=user)


def test_the_vote_functions_say_what_vote_record_and_vote_close_enforce():
    flow = flows.lianyungang_case_at(CaseState.DELIBERATION)
    flows.deliberation_facts(flow)
    flows.convene(flow)
    determination = flows.propose(flow)
    first, second = flow.staff.leaders
    chair = seat(flow, flow.staff.chair)
    members = list(flow.meeting.members.all())

    assert vote_refusal(flow.meeting, seat(flow, first), set()) is None
    assert chair_waits_for(members, set()) == [seat(flow, first), seat(flow, second)]
    assert [d for d, _missing in votes_missing(flow.meeting)] == [determination]
    # The chair's turn comes last: the service refuses as the page says.
    waiting = "、".join(user.get_full_name() for user in (first, second))
    with pytest.raises(
        ValidationError, match=deliberation_errors.VOTE_CHAIR_LAST % {"names": waiting}
    ):
        vote_record(
            actor=flow.staff.chair, determination=determination, position="agree", reasoning="同意"
        )
    missing = deliberation_errors.VOTES_MISSING % {"officer": flow.officer.officer.name}
    with pytest.raises(ValidationError, match=missing):
        vote_close(actor=flow.staff.chair, meeting=flow.meeting)

    for user in (first, second):
        vote_record(actor=user, determination=determination, position="agree", reasoning="同意")
    voted = set(determination.votes.values_list("member_id", flat=True))
    assert vote_refusal(flow.meeting, seat(flow, first), voted) == str(
        deliberation_errors.ALREADY_VOTED
    )
    assert chair_waits_for(flow.meeting.members.all(), voted) == []
    assert vote_refusal(flow.meeting, chair, voted) is None
    vote_record(
        actor=flow.staff.chair, determination=determination, position="agree", reasoning="同意"
    )
    assert votes_missing(flow.meeting) == []
    vote_close(actor=flow.staff.chair, meeting=flow.meeting)
    flow.meeting.refresh_from_db()
    assert vote_refusal(flow.meeting, chair, set()) == str(deliberation_errors.VOTING_CLOSED)


def test_panel_set_up_refusal_is_what_the_page_and_the_service_ask(client):
    flow = flows.taian_case_at(CaseState.INVESTIGATING)
    inspector, expert = flow.staff.inspector, flow.staff.experts[0]
    assert panel_set_up_refusal(inspector, flow.reload()) == str(
        panel_errors.SET_UP_NOT_IN_EXPERT_REVIEW
    )
    flows.finish_investigation(flow)
    flows.request_expert_review(flow)
    assert panel_set_up_refusal(inspector, flow.reload()) is None
    assert panel_set_up_refusal(expert, flow.case) == str(panel_errors.MAY_NOT_SET_UP_PANEL)
    url = reverse("panel:expert", args=[flow.case.pk])
    # Need-to-know: an expert not (yet) on the case's panel does not see the case.
    client.force_login(expert)
    assert client.get(url).status_code == 404
    client.force_login(inspector)
    assert 'name="panel-question"' in client.get(url).content.decode()
