"""The clause check at every stage: the facts as held at a stage, per subject
officer, run through the engine under the case's catalogue version; the clause
matrix (clauses × stages) and what is still to be established."""

from collections import defaultdict
from dataclasses import dataclass, field

from cases.extensions import review_column
from cases.models import Case, FactRecord, SubjectOfficer
from cases.workflow import Stage
from exemptions import engine
from exemptions.selectors import catalog_for_version

# Stages whose facts the engine evaluates; the expert review records opinions
# on the investigation's facts, not facts of its own.
FACT_STAGES = (Stage.INTAKE, Stage.INVESTIGATION, Stage.DELIBERATION)


def engine_catalog(version) -> engine.Catalog:
    """The engine's catalogue for exactly the case's version (parsed once per
    process; versions never change once loaded)."""
    return catalog_for_version(version)


def facts_by_officer(case: Case, stage: str) -> dict[int, dict[str, object]]:
    """{subject officer id: facts} at one stage: the case-wide records with the
    officer's own records over them."""
    records = [r for r in _fact_records(case) if r.stage == stage]
    case_wide = {r.fact_key: r.value for r in records if r.subject_officer_id is None}
    per_officer: dict[int, dict] = defaultdict(dict)
    for r in records:
        if r.subject_officer_id is not None:
            per_officer[r.subject_officer_id][r.fact_key] = r.value
    return {
        officer.pk: {**case_wide, **per_officer.get(officer.pk, {})}
        for officer in case.subject_officers.all()
    }


def _fact_records(case: Case) -> list[FactRecord]:
    # Uses the prefetched records when the selector fetched them.
    return list(case.fact_records.all())


def claimed_refs(subject_officer: SubjectOfficer) -> list[str]:
    return [claim.clause_ref for claim in subject_officer.clause_claims.all()]


def assess_officer(case: Case, subject_officer: SubjectOfficer, stage: str) -> engine.Assessment:
    catalog = engine_catalog(case.regulation)
    facts = facts_by_officer(case, stage).get(subject_officer.pk, {})
    claimed = [ref for ref in claimed_refs(subject_officer) if ref in catalog.by_ref]
    return engine.assess(catalog, facts, claimed)


@dataclass
class MatrixRow:
    ref: str
    kind: str
    claimed: bool
    cells: dict[str, engine.ClauseResult] = field(default_factory=dict)
    report_conclusion: str | None = None
    panel_positions: list[str] = field(default_factory=list)
    panel_opinions: list[tuple[str, str]] = field(default_factory=list)

    @property
    def diverges(self) -> bool:
        """Two stages reached different results for the clause. A stage still
        undetermined on it has not established the facts (yet): no difference."""
        return len({c.result for c in self.cells.values() if c.result != engine.UNDETERMINED}) > 1


@dataclass
class OfficerMatrix:
    subject_officer: SubjectOfficer
    rows: list[MatrixRow]
    outcomes: dict[str, str]
    flags: dict[str, list[str]]
    still_to_establish: dict[str, list[str]]


def clause_matrix(case: Case, stages=FACT_STAGES) -> list[OfficerMatrix]:
    """For each subject officer: every clause of the catalogue × the stages,
    with results and missing facts, the proposed outcome per stage and the
    facts still to establish for the claimed clauses at each stage."""
    catalog = engine_catalog(case.regulation)
    facts_per_stage = {stage: facts_by_officer(case, stage) for stage in stages}
    conclusions, opinions = _review_columns(case)
    matrices = []
    for subject_officer in case.subject_officers.all():
        claimed = [ref for ref in claimed_refs(subject_officer) if ref in catalog.by_ref]
        rows = {
            clause.ref: MatrixRow(clause.ref, clause.kind, clause.ref in claimed)
            for clause in catalog.clauses
        }
        outcomes, flags, to_establish = {}, {}, {}
        for stage in stages:
            facts = facts_per_stage[stage].get(subject_officer.pk, {})
            assessment = engine.assess(catalog, facts, claimed)
            outcomes[stage] = assessment.outcome
            flags[stage] = list(assessment.flags)
            for result in assessment.clauses:
                rows[result.ref].cells[stage] = result
            to_establish[stage] = missing_for_claimed(assessment, claimed, facts)
        for ref, conclusion in conclusions.get(subject_officer.pk, {}).items():
            if ref in rows:
                rows[ref].report_conclusion = conclusion
        for ref, given in opinions.get(subject_officer.pk, {}).items():
            if ref in rows:
                rows[ref].panel_positions = [o.position for o in given]
                rows[ref].panel_opinions = [
                    (o.member.get_full_name(), o.get_position_display()) for o in given
                ]
        matrices.append(
            OfficerMatrix(subject_officer, list(rows.values()), outcomes, flags, to_establish)
        )
    return matrices


FAULT = "fault_established"


def _review_columns(case: Case) -> tuple[dict, dict]:
    """The report's conclusion and the panel's opinions per officer and
    clause: {officer id: {ref: conclusion}}, {officer id: {ref: [opinions]}}.
    (The matrix shows every stage: investigation and panel register them in
    cases.extensions.)"""
    return (
        review_column("report_conclusions", case),
        review_column("panel_opinions", case),
    )


def missing_for_claimed(
    assessment: engine.Assessment, claimed: list[str], facts: dict[str, object]
) -> list[str]:
    """The unknown facts that decide the claimed clauses, first-seen order,
    each once; then fault_established when the outcome still waits on it."""
    missing: dict[str, None] = {}
    claimed_set = set(claimed)
    for result in assessment.clauses:
        if result.ref in claimed_set:
            missing.update(dict.fromkeys(result.missing_facts))
    if assessment.outcome == engine.UNDETERMINED and facts.get(FAULT) is None:
        missing[FAULT] = None
    return list(missing)


# Facts the engine reads for the outcome (fault, intent, consequence) rather
# than for any one clause.
OUTCOME_FACTS = ("fault_established", "intentional_violation", "gross_negligence", "consequence")


@dataclass
class FactGroup:
    """The facts recorded for one clause of the case's catalogue (each fact
    under the first clause that reads it), or for the outcome (ref empty)."""

    ref: str
    text: str
    facts: list = field(default_factory=list)
    # Other clauses that read facts of this group, by fact key.
    also_read_by: dict[str, list[str]] = field(default_factory=dict)


def fact_groups(case: Case, labels: dict) -> list[FactGroup]:
    """Only the facts the case's regulation uses, grouped by the clauses they
    serve, in catalogue order; then the facts the outcome reads. `labels` is
    exemptions.selectors.facts_by_key(regulation=...) (labels in the
    regulation's own words)."""
    catalog = engine_catalog(case.regulation)
    readers: dict[str, list[str]] = defaultdict(list)
    for clause in catalog.clauses:
        for key in clause.facts():
            readers[key].append(clause.ref)
    groups, placed = [], set()
    for clause in catalog.clauses:
        keys = [k for k in clause.facts() if k not in placed and k in labels]
        if not keys:
            continue
        placed.update(keys)
        group = FactGroup(clause.ref, clause.text, [labels[k] for k in keys])
        group.also_read_by = {k: [r for r in readers[k] if r != clause.ref] for k in keys}
        groups.append(group)
    outcome = [labels[k] for k in OUTCOME_FACTS if k in labels and k not in placed]
    if outcome:
        groups.append(FactGroup("", "", outcome))
    return groups
