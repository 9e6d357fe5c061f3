"""Meetings (issue 15, item 8): a proposal is withdrawn or amended before the
first vote (audited) and refused once voting has begun; a measure that says
nothing until written (处分 and the like) needs its content; a rejected
meeting is recorded, with its tally, in the minutes of the meeting convened
after it, which links to it."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEventType
from cases.workflow import CaseState
from deliberation import errors as deliberation_errors
from deliberation.models import Determination, Measure, Meeting
from deliberation.services import (
    ProposalInput,
    determination_amend,
    determination_propose,
    determination_withdraw,
    previous_rejected_meeting,
    vote_close,
    vote_record,
)
from documents.builders.review import minutes_context
from documents.kinds import DocumentKind
from documents.registry import document_spec
from documents.rendering import render_pdf
from tests import flows
from tests.documents.pdf import read_pdf, text_of
from tests.flows import new_events, nothing_changes

pytestmark = pytest.mark.django_db


def _meeting_with_proposal():
    """A Lianyungang case in deliberation (mitigated, criticism and education
    proposed), the meeting convened, no vote yet."""
    flow = flows.lianyungang_case_at(CaseState.DELIBERATION)
    flows.convene(flow)
    return flow, flows.propose(flow)


def _proposal(flow, **changes):
    values = {
        "subject_officer": flow.officer,
        "outcome": "mitigated",
        "cited_clauses": ["9.2"],
        "reasons": flows.LIANYUNGANG.reasons,
        "measure": "criticism_education",
    }
    return ProposalInput(**(values | changes))


def _first_vote(flow, determination):
    member = flow.meeting.members.filter(is_chair=False).select_related("user").first()
    vote_record(
        actor=member.user, determination=determination, position="agree", reasoning="同意。"
    )


# --- withdrawing and amending ------------------------------------------------------------


def test_a_proposal_is_withdrawn_before_the_first_vote_and_proposed_afresh():
    flow, determination = _meeting_with_proposal()
    with new_events() as events:
        determination_withdraw(
            actor=flow.staff.inspector, determination=determination, reason="理由需补充"
        )
    assert not Determination.objects.filter(pk=determination.pk).exists()
    assert flows.event_types(events) == [AuditEventType.DETERMINATION_RECORDED]
    assert events[0].data["action"] == "withdrawn"
    assert events[0].data["reason"] == "理由需补充"
    assert events[0].summary.startswith("撤回认定意见")
    again = determination_propose(
        actor=flow.staff.inspector, meeting=flow.meeting, proposal=_proposal(flow)
    )
    assert again.status == Determination.Status.PROPOSED


def test_a_withdrawal_without_a_reason_is_refused():
    flow, determination = _meeting_with_proposal()
    with nothing_changes(flow.case), pytest.raises(ValidationError) as error:
        determination_withdraw(actor=flow.staff.inspector, determination=determination, reason=" ")
    assert error.value.message_dict == {
        "reason": [str(deliberation_errors.WITHDRAWAL_REASON_MISSING)]
    }
    assert Determination.objects.filter(pk=determination.pk).exists()


def test_a_proposal_is_amended_before_the_first_vote():
    flow, determination = _meeting_with_proposal()
    with new_events() as events:
        amended = determination_amend(
            actor=flow.staff.inspector,
            determination=determination,
            proposal=_proposal(flow, measure="talk_reminder", reasons="改为谈话提醒。"),
        )
    assert amended.pk == determination.pk
    determination.refresh_from_db()
    assert (determination.measure, determination.reasons) == ("talk_reminder", "改为谈话提醒。")
    assert flows.event_types(events) == [AuditEventType.DETERMINATION_RECORDED]
    data = events[0].data
    assert data["action"] == "amended"
    assert data["changed"] == ["measure", "reasons"]
    assert data["before"]["measure"] == "criticism_education"


def test_an_amendment_is_checked_like_a_new_proposal():
    flow, determination = _meeting_with_proposal()
    with nothing_changes(flow.case), pytest.raises(ValidationError) as error:
        determination_amend(
            actor=flow.staff.inspector,
            determination=determination,
            proposal=_proposal(flow, reasons=""),
        )
    assert error.value.message_dict == {"reasons": [str(deliberation_errors.REASONS_MISSING)]}
    determination.refresh_from_db()
    assert determination.reasons == flows.LIANYUNGANG.reasons


def test_withdrawing_or_amending_is_refused_once_voting_has_begun():
    flow, determination = _meeting_with_proposal()
    _first_vote(flow, determination)
    with nothing_changes(flow.case), pytest.raises(ValidationError) as error:
        determination_withdraw(
            actor=flow.staff.inspector, determination=determination, reason="理由"
        )
    assert error.value.messages == [str(deliberation_errors.PROPOSAL_FIXED_AFTER_VOTING_BEGAN)]
    with nothing_changes(flow.case), pytest.raises(ValidationError) as error:
        determination_amend(
            actor=flow.staff.inspector,
            determination=determination,
            proposal=_proposal(flow, measure="talk_reminder"),
        )
    assert error.value.messages == [str(deliberation_errors.PROPOSAL_FIXED_AFTER_VOTING_BEGAN)]
    determination.refresh_from_db()
    assert determination.measure == "criticism_education"


# --- measures that need their content --------------------------------------------------------


@pytest.mark.parametrize("measure", ["disciplinary_sanction", "removal_from_enforcement_post"])
def test_a_measure_that_needs_its_content_is_refused_without_it(measure):
    flow = flows.lianyungang_case_at(CaseState.DELIBERATION)
    flows.convene(flow)
    with nothing_changes(flow.case), pytest.raises(ValidationError) as error:
        determination_propose(
            actor=flow.staff.inspector,
            meeting=flow.meeting,
            proposal=_proposal(flow, measure=measure, sanction="  "),
        )
    assert error.value.message_dict == {
        "sanction": [
            deliberation_errors.MEASURE_CONTENT_MISSING % {"measure": Measure(measure).label}
        ]
    }
    assert not Determination.objects.exists()
    determination_propose(
        actor=flow.staff.inspector,
        meeting=flow.meeting,
        proposal=_proposal(flow, measure=measure, sanction="警告处分"),
    )
    assert Determination.objects.get().sanction == "警告处分"


def test_the_proposal_form_asks_for_the_content_of_a_sanction(client):
    flow = flows.lianyungang_case_at(CaseState.DELIBERATION)
    flows.convene(flow)
    client.force_login(flow.staff.inspector)
    prefix = f"propose-{flow.officer.pk}"
    url = reverse("deliberation:determination_propose", args=[flow.case.pk, flow.officer.pk])
    with nothing_changes(flow.case):
        response = client.post(
            url,
            {
                f"{prefix}-outcome": "mitigated",
                f"{prefix}-cited_clauses": ["9.2"],
                f"{prefix}-measure": "disciplinary_sanction",
                f"{prefix}-sanction": "",
                f"{prefix}-reasons": "理由。",
            },
        )
    assert response.status_code == 200
    content_missing = deliberation_errors.MEASURE_CONTENT_MISSING % {
        "measure": Measure.DISCIPLINARY_SANCTION.label
    }
    assert content_missing in response.content.decode()
    assert not Determination.objects.exists()


# --- the page ------------------------------------------------------------------------------


def test_the_page_offers_amending_and_withdrawing_only_before_the_first_vote(client):
    flow, determination = _meeting_with_proposal()
    client.force_login(flow.staff.inspector)
    url = reverse("deliberation:deliberation", args=[flow.case.pk])
    page = client.get(url).content.decode()
    assert f'data-testid="withdraw-proposal-{flow.officer.pk}"' in page
    withdraw = reverse("deliberation:determination_withdraw", args=[flow.case.pk, determination.pk])
    response = client.post(withdraw, {f"withdraw-{determination.pk}-reason": ""})
    assert response.status_code == 200
    assert Determination.objects.filter(pk=determination.pk).exists()
    _first_vote(flow, determination)
    assert 'data-testid="withdraw-proposal-' not in client.get(url).content.decode()
    response = client.post(withdraw, {f"withdraw-{determination.pk}-reason": "理由"}, follow=True)
    assert str(deliberation_errors.PROPOSAL_FIXED_AFTER_VOTING_BEGAN) in response.content.decode()
    assert Determination.objects.filter(pk=determination.pk).exists()


def test_amending_from_the_page(client):
    flow, determination = _meeting_with_proposal()
    client.force_login(flow.staff.inspector)
    prefix = f"amend-{determination.pk}"
    response = client.post(
        reverse("deliberation:determination_amend", args=[flow.case.pk, determination.pk]),
        {
            f"{prefix}-outcome": "mitigated",
            f"{prefix}-cited_clauses": ["9.2"],
            f"{prefix}-measure": "talk_reminder",
            f"{prefix}-sanction": "",
            f"{prefix}-reasons": "改为谈话提醒。",
        },
        follow=True,
    )
    assert "已修改对张执法的认定意见。" in response.content.decode()
    determination.refresh_from_db()
    assert determination.measure == "talk_reminder"


# --- a rejected meeting ----------------------------------------------------------------------


def _rejected_then_adopted():
    flow, determination = _meeting_with_proposal()
    others = flow.meeting.members.filter(attendance="present").select_related("user")
    flows.vote_all(flow, determination, {m.user: "disagree" for m in others})
    vote_close(actor=flow.staff.chair, meeting=flow.meeting)
    rejected = flow.meeting
    assert Determination.objects.get(pk=determination.pk).status == "rejected"
    assert flow.reload().state == CaseState.DELIBERATION
    flow.meeting = None
    flows.convene(flow)
    flows.vote_all(flow, flows.propose(flow))
    vote_close(actor=flow.staff.chair, meeting=flow.meeting)
    assert flow.reload().state == CaseState.DECIDED
    return flow, rejected


def test_the_next_meeting_links_to_the_rejected_one(client):
    flow, rejected = _meeting_with_proposal()[0], None
    determination = flow.meeting.determinations.get()
    others = flow.meeting.members.filter(attendance="present").select_related("user")
    flows.vote_all(flow, determination, {m.user: "disagree" for m in others})
    vote_close(actor=flow.staff.chair, meeting=flow.meeting)
    rejected = flow.meeting
    second = flows.convene(flow)
    assert previous_rejected_meeting(second) == rejected
    assert previous_rejected_meeting(rejected) is None
    client.force_login(flow.staff.chair)
    page = client.get(reverse("deliberation:deliberation", args=[flow.case.pk])).content.decode()
    assert 'data-testid="follows-meeting"' in page
    assert f'href="#closed-heading-{rejected.pk}"' in page
    assert f'id="closed-heading-{rejected.pk}"' in page


@pytest.mark.real_pdf
def test_the_minutes_record_the_rejected_meeting_with_its_tally():
    flow, rejected = _rejected_then_adopted()
    context = minutes_context(flow.case)
    assert [r["meeting"] for r in context["rejected_meetings"]] == [rejected]
    content = render_pdf(document_spec(DocumentKind.MINUTES).template, context).content
    text = re.sub(r"\s+", "", text_of(read_pdf(content)))
    assert "前次会议表决未获通过的情况" in text
    assert "会议表决未获通过后再次召开" in text
    # The rejected meeting: three entitled, all present, none agreeing.
    assert "对张执法提请表决的认定意见为从轻或者减轻追究" in text
    assert "同意0人，不同意3人，弃权0人，未获通过" in text
    # This meeting's own vote.
    assert "同意3人" in text and "表决通过" in text
    assert Meeting.objects.filter(case=flow.case).count() == 2
