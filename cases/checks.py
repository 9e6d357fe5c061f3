"""Start-up check that the django-fsm-2 machine on Case is exactly the
workflow table (cases.workflow), and that the table is whole: a transition
added or edited by hand on the model, or a stage without a rule, stops
`manage.py check` (and so every start) with an error naming it."""

from django.core import checks


def case_transitions() -> list:
    """The django-fsm transitions declared on Case, one per (move, source)."""
    from cases.models import Case

    return list(Case._meta.get_field("state").get_all_transitions(Case))


def workflow_problems(transitions=None) -> list[str]:
    from cases.parties import PARTIES
    from cases.workflow import MOVES, STAGES, CaseState

    problems = []
    machine: dict[str, dict] = {}
    for t in case_transitions() if transitions is None else transitions:
        entry = machine.setdefault(
            t.name,
            {"sources": set(), "targets": set(), "permissions": set(), "guards": set()},
        )
        entry["sources"].add(t.source)
        entry["targets"].add(t.target)
        entry["permissions"].add(t.permission)
        entry["guards"].add(tuple(getattr(c, "guard", c) for c in t.conditions))
    if set(machine) != set(MOVES):
        problems.append(
            f"Case transitions {sorted(machine)} differ from workflow.MOVES {sorted(MOVES)}"
        )
    for name, move in MOVES.items():
        got = machine.get(name)
        if got is None:
            continue
        want = {
            "sources": set(move.sources),
            "targets": {move.target},
            "permissions": {move.permission},
            "guards": {tuple(move.guards)},
        }
        for key, value in want.items():
            if got[key] != value:
                problems.append(f"Case.{name}: {key} {got[key]!r} differ from the table {value!r}")
        if not move.guards:
            problems.append(f"move {name} has no guard")
    if set(STAGES) != set(CaseState.values):
        problems.append(f"workflow.STAGES {sorted(STAGES)} differ from CaseState")
    for state, rule in STAGES.items():
        if rule.final != (not rule.moves):
            problems.append(f"stage {state}: final={rule.final} but has moves {rule.moves}")
        if rule.final != (rule.default_days is None):
            problems.append(f"stage {state}: a stage has a time limit if and only if not final")
        if rule.final == bool(rule.duties):
            problems.append(f"stage {state}: a stage waits on someone if and only if not final")
        for duty in rule.duties:
            if duty.party not in PARTIES:
                problems.append(f"stage {state}: unknown party {duty.party}")
    return problems


@checks.register()
def check_workflow(app_configs, **kwargs):
    return [
        checks.Error(problem, hint="Change cases.workflow and Case together.", id="cases.E001")
        for problem in workflow_problems()
    ]
