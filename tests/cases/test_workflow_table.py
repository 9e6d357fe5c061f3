"""The workflow table is the one definition: docs/workflow.md is printed from
it, the django-fsm machine on Case is built from it and checked against it at
start-up, and the default stage deadlines are the table's."""

import importlib
from pathlib import Path
from types import SimpleNamespace

from django.core.management import call_command

from cases import workflow
from cases.checks import case_transitions, check_workflow, workflow_problems
from cases.flows import installed_flows
from cases.models import Case
from cases.workflow import MOVES, STAGES, CaseState

DOC = Path(__file__).resolve().parents[2] / "docs" / "workflow.md"


def test_docs_workflow_md_is_what_the_command_prints(capsys):
    call_command("workflow", "--markdown")
    printed = capsys.readouterr().out
    assert DOC.read_text(encoding="utf-8") == printed, (
        "docs/workflow.md is stale: run "
        "`.venv/bin/python manage.py workflow --markdown > docs/workflow.md`"
    )


def test_the_printed_table_answers_what_happens_in_each_stage(capsys):
    call_command("workflow", "--markdown")
    printed = capsys.readouterr().out
    for state in CaseState:
        assert f"## {state.label} (`{state.value}`)" in printed
    for move in MOVES.values():
        assert f"(`{move.name}`)" in printed
        for guard in move.guards:
            assert f"`{guard.__name__}`" in printed
    # The routing the table decides, in words a reader can check.
    assert "| 调查组（组长及成员）；尚未指派的，本单位全体调查人员 (`investigators`) |" in printed
    assert "专家组出具书面意见后：调查组" in printed
    assert "专家组组建后：尚未发表意见的专家" in printed
    # Who is told at each hand-off (issue 15).
    assert "通知：备案材料已报送 → 同级纪检监察机关的联络人" in printed
    assert "| `panel_formed` | 待出具论证意见 → 专家组组建后：尚未发表意见的专家" in printed


def test_the_printed_table_holds_the_protection_and_clarification_flows_after_the_cases(capsys):
    call_command("workflow", "--markdown")
    printed = capsys.readouterr().out
    flows = installed_flows()
    assert [flow.key for flow in flows] == ["protection", "clarification"]
    positions = [printed.index(f"# {flow.title}\n") for flow in flows]
    assert printed.index("## Guards") < positions[0] < positions[1]
    for flow in flows:
        for state in flow.choices:
            assert f"{state.label} (`{state.value}`)" in printed
        for move in flow.moves.values():
            assert f"| {move.label} (`{move.name}`) |" in printed
            for guard in move.guards:
                assert f"`{guard.__name__}`" in printed
    assert "`guard_police_contact_recorded`" in printed


def test_the_machine_on_case_is_the_table():
    assert workflow_problems() == []
    assert check_workflow(None) == []
    names = {t.name for t in Case._meta.get_field("state").get_all_transitions(Case)}
    assert names == set(MOVES)


def test_a_transition_that_drifts_from_the_table_stops_the_check(monkeypatch):
    # A hand edit on the model: closing straight from deliberation, unguarded.
    drifted = [t for t in case_transitions() if t.name != "close"]
    drifted.append(
        SimpleNamespace(
            name="close",
            source=CaseState.DELIBERATION,
            target=CaseState.CLOSED,
            permission="cases.close_case",
            conditions=[],
        )
    )
    problems = workflow_problems(drifted)
    assert any("Case.close: sources" in p for p in problems), problems
    assert any("Case.close: guards" in p for p in problems), problems
    monkeypatch.setattr("cases.checks.case_transitions", lambda: drifted)
    errors = check_workflow(None)
    assert errors and all(e.id == "cases.E001" for e in errors)


def test_a_stage_without_a_way_out_or_a_party_stops_the_check(monkeypatch):
    stuck = STAGES[CaseState.DECIDED].__class__(CaseState.DECIDED, (), 15)
    monkeypatch.setitem(STAGES, CaseState.DECIDED, stuck)
    assert any("decided" in p and "waits on someone" in p for p in workflow_problems())


def test_the_default_deadlines_installed_are_the_tables():
    migration = importlib.import_module("cases.migrations.0002_default_stage_deadlines")
    assert {
        state: rule.default_days for state, rule in STAGES.items() if not rule.final
    } == migration.DEFAULT_DAYS
    assert {CaseState.CLOSED, CaseState.WITHDRAWN} == workflow.FINAL_STATES
