"""The clause matrix as people read it: per officer, each clause cited as the
regulation numbers it (第六条第（一）项) with its own words, the result at
every stage, and the facts it still waits on stated once per clause. The
facts still to establish come from here for both the matrix and the case
page's sidebar, so the two cannot disagree."""

from dataclasses import dataclass

from cases.assessment import FACT_STAGES, MatrixRow, OfficerMatrix, clause_matrix, engine_catalog
from cases.models import Case
from cases.workflow import STAGES, Stage
from exemptions.citations import clause_where_for_reader


@dataclass(frozen=True)
class ClauseLine:
    row: MatrixRow
    where: str  # 第六条第（一）项, or 第四条 for a principle
    text: str  # the clause's own words
    missing: list[str]  # facts unknown at any stage shown, each once, in reading order


@dataclass(frozen=True)
class OfficerBlock:
    matrix: OfficerMatrix
    lines: list[ClauseLine]
    stage: Stage  # the stage whose facts are still to establish
    still_to_establish: list[str]

    @property
    def subject_officer(self):
        return self.matrix.subject_officer


def establishing_stage(case: Case, stages=FACT_STAGES) -> str:
    """The stage whose facts the case is establishing now (its stage's
    fact stage), or the last stage shown when that one is not among them."""
    current = STAGES[case.state].fact_stage
    return current if current in stages else stages[-1]


def matrix_blocks(case: Case, *, stages=FACT_STAGES, compact: bool = False) -> list[OfficerBlock]:
    """One block per subject officer. Compact: only the clauses claimed or on
    which the stages disagree; else every clause of the catalogue."""
    catalog = engine_catalog(case.regulation)
    stage = Stage(establishing_stage(case, stages))
    blocks = []
    for matrix in clause_matrix(case, stages=stages):
        lines = []
        for row in matrix.rows:
            if compact and not (row.claimed or row.diverges):
                continue
            missing: dict[str, None] = {}
            for shown in stages:
                cell = row.cells.get(shown)
                if cell is not None:
                    missing.update(dict.fromkeys(cell.missing_facts))
            clause = catalog.by_ref.get(row.ref)
            text = clause.text if clause is not None else ""
            lines.append(ClauseLine(row, clause_where_for_reader(row.ref), text, list(missing)))
        blocks.append(OfficerBlock(matrix, lines, stage, matrix.still_to_establish.get(stage, [])))
    return blocks
