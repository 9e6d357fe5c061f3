"""Properties of the workflow table (hypothesis):

- over the table alone: every stage reachable from a draft is finished or
  waits on someone and has a way out; every move has named guards;
- over real cases taken through the services along drawn paths (Tai'an or
  Lianyungang, disputed or not, expert review or not, votes for or against,
  withdrawn at a drawn point): at every point of the path, the case is
  finished or a user it waits on can act, and the people My tasks lists the
  case for are exactly the people the table names, each with the table's
  step."""

import inspect

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from accounts.roles import Role
from cases import workflow
from cases.selectors import (
    case_next_step,
    case_responsible_users,
    cases_waiting_on,
    cases_waiting_on_count,
    tasks_for,
)
from cases.services.assignment import team_assign
from cases.workflow import MOVES, STAGES, CaseState, available_transitions
from deliberation.services import vote_close, vote_record
from panel.services import opinion_record
from tests import flows
from tests.factories import UserFactory

# --- over the table -------------------------------------------------------------------


@given(st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=15))
def test_every_reachable_stage_is_finished_or_waits_on_someone_with_a_way_out(choices):
    state = CaseState.DRAFT
    for choice in choices:
        rule = STAGES[state]
        if rule.final:
            assert not rule.moves and not rule.duties and rule.default_days is None
            return
        assert rule.duties, f"{state} waits on nobody"
        assert rule.moves, f"{state} has no way out"
        # Some party of the stage holds a role, and each step names a page.
        assert all(duty.url_name and duty.step for duty in rule.duties)
        forward = [m for m in rule.moves if m.target != CaseState.WITHDRAWN]
        assert forward, f"{state} can only be withdrawn"
        state = forward[choice % len(forward)].target


def test_every_stage_is_reachable_and_every_path_ends():
    reached, frontier = {CaseState.DRAFT}, [CaseState.DRAFT]
    while frontier:
        for move in STAGES[frontier.pop()].moves:
            if move.target not in reached:
                reached.add(move.target)
                frontier.append(move.target)
    assert reached == set(CaseState.values)
    # No cycle: the moves only go forward in the table's order.
    order = list(STAGES)
    assert all(
        order.index(move.target) > order.index(source)
        for move in MOVES.values()
        for source in move.sources
    )


@pytest.mark.parametrize("name", list(MOVES))
def test_every_move_has_a_named_guard_of_the_workflow(name):
    move = MOVES[name]
    assert move.guards
    for guard in move.guards:
        assert inspect.isfunction(guard) and guard.__name__.startswith("guard_")
        assert getattr(workflow, guard.__name__) is guard
        assert guard.__doc__, f"{guard.__name__} says what it checks"
    assert move.permission.startswith("cases.")
    assert move.label


# --- over real cases --------------------------------------------------------------------

# A path: the scenario, whether disputed, whether expert review is asked for
# when not required, each vote's position, and where (if at all) to withdraw.
paths = st.fixed_dictionaries(
    {
        "taian": st.booleans(),
        "disputed": st.booleans(),
        "request_review": st.booleans(),
        "positions": st.lists(st.sampled_from(["agree", "agree", "disagree"]), min_size=3),
        "withdraw_at": st.none() | st.integers(min_value=0, max_value=12),
        # The case supervisor assigns an investigation team at registration.
        "team": st.booleans(),
    }
)


class WorkflowPropertyTests(TestCase):
    """Each example runs in its own transaction (rolled back after)."""

    def people(self, flow):
        staff = flow.staff
        liaison = flows.person(
            None, Role.DISCIPLINE_LIAISON, "吴联络", discipline_body=staff.unit.discipline_body
        )
        other = flows.unit_for("taian")
        outsider = UserFactory(
            display_name="外人", units=[other], roles=list(Role.values), discipline_body=None
        )
        spare = flows.person(staff.unit, Role.INVESTIGATOR, "另一调查")
        supervisor = flows.person(staff.unit, Role.CASE_SUPERVISOR, "陶督办")
        return [
            supervisor,
            staff.inspector,
            staff.investigator,
            *staff.experts,
            staff.chair,
            *staff.leaders,
            liaison,
            outsider,
            spare,
        ]

    def check(self, flow, people, seen: set):
        case = flow.reload()
        seen.add(case.state)
        rule = STAGES[case.state]
        responsible = case_responsible_users(case)
        if rule.final:
            assert responsible == []
        else:
            assert responsible, f"{case.state}: waits on nobody"
            # Someone it waits on can act: a move other than withdrawing is
            # open to them, or their step is taken on another page.
            assert any(
                any(t.allowed and t.name != "withdraw" for t in available_transitions(case, u))
                or case_next_step(case, u).url_name != "cases:detail"
                for u in responsible
            ), (case.state, responsible)
        for user in people:
            waits = user in responsible
            listed = list(cases_waiting_on(user).values_list("pk", flat=True))
            assert (case.pk in listed) == waits, f"{case.state}: {user} {waits=} {responsible}"
            assert cases_waiting_on_count(user) == len(listed)
            step = case_next_step(case, user)
            assert (step is not None) == waits, (case.state, user)
            if waits:
                assert tasks_for(user, [case])[case.pk] == step

    @settings(
        max_examples=2,
        deadline=None,
        # Each example takes a case through the services: shrinking would
        # take minutes; the failing path is printed as drawn.
        phases=(Phase.explicit, Phase.reuse, Phase.generate),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @example(
        path={
            "taian": False,
            "disputed": False,
            "request_review": False,
            "positions": ["agree"],
            "withdraw_at": None,
            "team": False,
        }
    )
    @example(
        path={
            "taian": True,
            "disputed": True,
            "request_review": True,
            "positions": ["agree", "disagree"],
            "withdraw_at": None,
            "team": True,
        }
    )
    @given(path=paths)
    def test_every_point_of_every_path_is_finished_or_someone_can_act(self, path):
        scenario = flows.TAIAN if path["taian"] else flows.LIANYUNGANG
        flow = flows.new_case(scenario, disputed=path["disputed"])
        people = self.people(flow)
        seen: set = set()
        procedure = flow.case.procedure
        needs_panel = path["disputed"] and procedure.get("expert_panel_required_when_disputed")
        review = needs_panel or path["request_review"]
        positions = iter(path["positions"] * 4)

        def votes():
            for member in flow.meeting.members.filter(attendance="present").order_by(
                "is_chair", "id"
            ):
                for determination in flow.determinations:
                    vote_record(
                        actor=member.user,
                        determination=determination,
                        position=next(positions),
                        reasoning="理由。",
                    )
                    self.check(flow, people, seen)

        def opinions():
            # Expert by expert: each drops out of the panel's step once their
            # opinions are given; the last one's brings the written opinion.
            panel = flow.reload().expert_panel
            experts = list(panel.members.order_by("id"))
            for index, expert in enumerate(experts):
                for disputed in panel.disputed.all():
                    opinion_record(
                        actor=expert,
                        disputed_clause=disputed,
                        position="disagree" if index == len(experts) - 1 else "agree",
                        reasoning="理由。",
                    )
                self.check(flow, people, seen)
                if index < len(experts) - 1:
                    assert expert not in case_responsible_users(flow.reload())

        def assign_team():
            supervisor, spare = people[0], people[-1]
            team_assign(
                actor=supervisor, case=flow.reload(), lead=flow.staff.investigator, members=[spare]
            )

        steps = [
            lambda: flows.register(flow),
            *([assign_team] if path["team"] else []),
            lambda: flows.start_investigation(flow),
            lambda: flows.finish_investigation(flow),
        ]
        if review:
            steps += [
                lambda: flows.request_expert_review(flow),
                lambda: flows.form_panel(flow),
                opinions,
                lambda: flows.conclude_panel(flow),
            ]
        steps += [
            lambda: flows.submit(flow),
            lambda: (flows.deliberation_facts(flow), flows.convene(flow)),
            lambda: [flows.propose(flow, so) for so in flow.subject_officers],
            votes,
            lambda: vote_close(actor=flow.staff.chair, meeting=flow.meeting),
        ]
        for index, step in enumerate(steps):
            self.check(flow, people, seen)
            if path["withdraw_at"] == index:
                flows.move(flow, "withdraw", flow.staff.inspector, reason="撤回。")
                self.check(flow, people, seen)
                return
            step()
        self.check(flow, people, seen)
        if flow.state != CaseState.DECIDED:
            return  # a determination was rejected: the chair is to convene again
        inspector = flow.staff.inspector
        for name in ("file", "publish", "close"):
            move = MOVES[name]
            if flow.state not in move.sources:
                break
            case = flow.reload()
            if workflow.move_refusal(move, case) is None:
                flows.move(flow, name, inspector)
                self.check(flow, people, seen)
        if flow.state != CaseState.CLOSED:
            flows.move(flow, "close", inspector)
        self.check(flow, people, seen)
        assert seen >= {CaseState.DRAFT, CaseState.REGISTERED, CaseState.CLOSED}
