"""Read queries of the investigation report."""

from django.db.models import Prefetch

from cases.models import Case
from investigation.models import InvestigationReport, ReportConclusion


def report_for_case(case: Case) -> InvestigationReport | None:
    """The case's report with its clause conclusions, or None."""
    return (
        InvestigationReport.objects.filter(case=case)
        .select_related("updated_by", "signed_off_by")
        .prefetch_related(
            Prefetch("clause_conclusions", queryset=ReportConclusion.objects.order_by("id"))
        )
        .first()
    )


def clauses_in_question(matrix, conclusions=()) -> list[str]:
    """The clauses the report must conclude on for one officer (an
    OfficerMatrix at the investigation stage): those claimed, those the engine
    finds satisfied or excluded, and those the report already concludes on;
    in catalogue order."""
    concluded = {
        c.clause_ref for c in conclusions if c.subject_officer_id == matrix.subject_officer.pk
    }
    refs = []
    for row in matrix.rows:
        results = {cell.result for cell in row.cells.values()}
        if row.claimed or results & {"satisfied", "excluded"} or row.ref in concluded:
            refs.append(row.ref)
    return refs
