"""The expert review (panel/services.py): the panel (an odd number
of at least three experts), an opinion per member per disputed clause, and the
written conclusion that keeps the dissent and opens the way to deliberation."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.roles import Role
from audit.messages import MESSAGE_KEY, render_message
from audit.models import AuditEventType
from cases.workflow import CaseState, guard_deliberation
from panel import errors as panel_errors
from panel.models import DisputedClause, ExpertOpinion, ExpertPanel
from panel.services import opinion_record, panel_conclude, panel_set_up
from tests import flows
from tests.flows import details, new_events, nothing_changes, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow(unit):
    return flows.taian_case_at(CaseState.EXPERT_REVIEW, unit=unit, officers=2)


def set_up(flow, members=None, question="是否已依法履行监督检查职责？", disputed=None):
    return panel_set_up(
        actor=flow.staff.inspector,
        case=flow.case,
        members=flow.staff.experts if members is None else members,
        question=question,
        disputed=[(so, "6.4") for so in flow.subject_officers] if disputed is None else disputed,
    )


def refused(flow, call, messages=None, message_dict=None):
    with nothing_changes(flow.case), pytest.raises(ValidationError) as error:
        call()
    if messages is not None:
        assert error.value.messages == messages
    if message_dict is not None:
        assert error.value.message_dict == message_dict


def opinion(expert, disputed, position="agree", reasoning="同意调查组意见"):
    return opinion_record(
        actor=expert, disputed_clause=disputed, position=position, reasoning=reasoning
    )


# --- the panel -------------------------------------------------------------------------


def test_the_panel_is_set_up_with_its_members_question_and_disputed_clauses(flow):
    with new_events() as events:
        panel = set_up(flow)
    assert set(panel.members.all()) == set(flow.staff.experts)
    assert list(panel.disputed.values_list("subject_officer", "clause_ref")) == [
        (so.pk, "6.4") for so in flow.subject_officers
    ]
    assert [e.event_type for e in events] == [AuditEventType.CASE_UPDATED]
    assert events[0].data["members"] == [e.pk for e in flow.staff.experts]
    assert events[0].summary == "组织专家组：陈专家、褚专家、卫专家"


@pytest.mark.parametrize("size", [1, 2, 4])
def test_the_panel_needs_an_odd_number_of_three_or_more(flow, size):
    experts = [*flow.staff.experts, person(flow.staff.unit, Role.EXPERT, "蒋专家")][:size]
    refused(
        flow,
        lambda: set_up(flow, members=experts),
        message_dict={"members": [str(panel_errors.PANEL_SIZE)]},
    )
    assert not ExpertPanel.objects.exists()


def test_five_experts_make_a_panel(flow):
    more = [person(flow.staff.unit, Role.EXPERT, f"专家{i}") for i in range(2)]
    assert set_up(flow, members=[*flow.staff.experts, *more]).members.count() == 5


def test_every_member_must_be_an_expert(flow):
    members = [*flow.staff.experts[:2], flow.staff.investigator]
    refused(
        flow,
        lambda: set_up(flow, members=members),
        message_dict={
            "members": [
                panel_errors.NOT_CASE_EXPERTS % {"names": flow.staff.investigator.get_full_name()}
            ]
        },
    )


def test_the_question_and_a_disputed_clause_are_required(flow):
    refused(
        flow,
        lambda: set_up(flow, question=" "),
        message_dict={"question": [str(panel_errors.QUESTION_MISSING)]},
    )
    refused(
        flow,
        lambda: set_up(flow, disputed=[]),
        message_dict={"disputed": [str(panel_errors.NO_DISPUTED_CLAUSE)]},
    )


def test_a_disputed_clause_must_be_of_the_regulation_and_the_case(flow):
    other = flows.taian_case_at(CaseState.DRAFT, staff=flow.staff)
    refused(
        flow,
        lambda: set_up(flow, disputed=[(flow.officer, "8.28")]),
        message_dict={"disputed": [panel_errors.DISPUTED_CLAUSE_INVALID % {"ref": "8.28"}]},
    )
    refused(
        flow,
        lambda: set_up(flow, disputed=[(other.officer, "6.4")]),
        message_dict={"disputed": [panel_errors.DISPUTED_CLAUSE_INVALID % {"ref": "6.4"}]},
    )


def test_one_panel_per_case(flow):
    set_up(flow)
    refused(flow, lambda: set_up(flow), messages=[str(panel_errors.PANEL_ALREADY_SET_UP)])


@pytest.mark.parametrize("state", [CaseState.INVESTIGATING, CaseState.DELIBERATION])
def test_a_panel_only_in_expert_review(unit, state):
    flow = flows.taian_case_at(state, unit=unit)
    refused(flow, lambda: set_up(flow), messages=[str(panel_errors.SET_UP_NOT_IN_EXPERT_REVIEW)])


# --- opinions ------------------------------------------------------------------------------


def test_each_member_gives_an_opinion_per_clause_and_may_revise_it_until_the_conclusion(flow):
    panel = set_up(flow)
    disputed = panel.disputed.first()
    expert = flow.staff.experts[0]
    with new_events() as events:
        first = opinion(expert, disputed, "disagree", "检查记录不完整")
    revised = opinion(expert, disputed, "partly", "部分同意")
    assert first.pk == revised.pk
    assert ExpertOpinion.objects.get().position == "partly"
    assert [e.event_type for e in events] == [AuditEventType.EXPERT_OPINION_RECORDED]
    assert events[0].summary == "陈专家对张执法第六条第（四）项：不同意适用"
    with translation.override("en"):
        english = render_message(events[0].data[MESSAGE_KEY])
    assert "Art. 6(4)" in english and "第" not in english


def test_an_opinion_needs_a_valid_position_and_reasoning(flow):
    panel = set_up(flow)
    disputed = panel.disputed.first()
    expert = flow.staff.experts[0]
    refused(
        flow,
        lambda: opinion(expert, disputed, "maybe"),
        message_dict={"position": [str(panel_errors.POSITION_MISSING)]},
    )
    refused(
        flow,
        lambda: opinion(expert, disputed, "agree", "  "),
        message_dict={"reasoning": [str(panel_errors.REASONING_MISSING)]},
    )
    assert not ExpertOpinion.objects.exists()


# --- the conclusion ----------------------------------------------------------------------------


def _all_opinions(flow, panel, positions=("agree", "agree", "agree")):
    for disputed in panel.disputed.all():
        for expert, position in zip(flow.staff.experts, positions, strict=True):
            opinion(expert, disputed, position)


def test_the_conclusion_waits_for_every_members_opinion_on_every_clause(flow):
    panel = set_up(flow)
    first = panel.disputed.first()
    for expert in flow.staff.experts:
        opinion(expert, first)
    opinion(flow.staff.experts[0], panel.disputed.last())
    refused(
        flow,
        lambda: panel_conclude(actor=flow.staff.experts[0], case=flow.case, conclusion="同意"),
        messages=[
            panel_errors.OPINIONS_MISSING
            % {
                "items": "；".join(
                    f"{expert.get_full_name()}（6.4）" for expert in flow.staff.experts[1:]
                )
            }
        ],
    )
    assert ExpertPanel.objects.get().concluded_at is None


def test_dissent_must_be_recorded_when_an_expert_disagrees(flow):
    panel = set_up(flow)
    _all_opinions(flow, panel, ("agree", "agree", "partly"))
    refused(
        flow,
        lambda: panel_conclude(
            actor=flow.staff.experts[1], case=flow.case, conclusion="多数同意", dissent=" "
        ),
        message_dict={"dissent": [str(panel_errors.DISSENT_MISSING)]},
    )
    with new_events() as events:
        concluded = panel_conclude(
            actor=flow.staff.experts[1],
            case=flow.case,
            conclusion="多数同意",
            dissent="卫专家认为部分适用。",
        )
    assert (concluded.conclusion, concluded.dissent, concluded.concluded_by) == (
        "多数同意",
        "卫专家认为部分适用。",
        flow.staff.experts[1],
    )
    assert [e.event_type for e in events] == [AuditEventType.PANEL_CONCLUDED]
    assert details(events[0]) == {"conclusion": "多数同意", "dissent": "卫专家认为部分适用。"}
    # The disagreeing opinion is kept beside the conclusion.
    assert ExpertOpinion.objects.filter(position="partly").count() == 2


def test_a_unanimous_panel_concludes_without_dissent_and_opens_deliberation(flow):
    panel = set_up(flow)
    _all_opinions(flow, panel)
    assert guard_deliberation(flow.reload()) == "专家组尚未出具书面论证意见，不能提交集体研究。"
    panel_conclude(actor=flow.staff.experts[2], case=flow.case, conclusion="一致同意")
    assert guard_deliberation(flow.reload()) is None
    flows.submit(flow)
    assert flow.state == CaseState.DELIBERATION


def test_the_conclusion_is_written_once_and_then_no_opinion_changes(flow):
    panel = set_up(flow)
    _all_opinions(flow, panel)
    refused(
        flow,
        lambda: panel_conclude(actor=flow.staff.experts[0], case=flow.case, conclusion=" "),
        message_dict={"conclusion": [str(panel_errors.CONCLUSION_MISSING)]},
    )
    panel_conclude(actor=flow.staff.experts[0], case=flow.case, conclusion="一致同意")
    refused(
        flow,
        lambda: panel_conclude(actor=flow.staff.experts[1], case=flow.case, conclusion="再次出具"),
        messages=[str(panel_errors.PANEL_ALREADY_CONCLUDED)],
    )
    refused(
        flow,
        lambda: opinion(flow.staff.experts[0], DisputedClause.objects.first(), "disagree"),
        messages=[str(panel_errors.OPINIONS_FIXED_AFTER_CONCLUSION)],
    )
    assert ExpertPanel.objects.get().conclusion == "一致同意"
    assert not ExpertOpinion.objects.filter(position="disagree").exists()
