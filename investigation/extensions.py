"""What the investigation adds to cases' extension points (cases.extensions),
registered by InvestigationConfig.ready()."""

from collections import defaultdict

from django.db.models import QuerySet

from cases.extensions import case_fact_register, review_column_register, search_text_register
from cases.search import text_contains
from investigation.models import InvestigationReport, ReportConclusion


def report_signed_off(case) -> bool:
    """Once the report is signed off the team can no longer change
    (cases.services.assignment)."""
    return InvestigationReport.objects.filter(case=case, signed_off_at__isnull=False).exists()


def reports_containing(text: str) -> QuerySet:
    """The case list's search in the report's findings and conclusion
    (trigram and short-gram indexes on PostgreSQL: reviews migration 0005,
    investigation migration 0002)."""
    return InvestigationReport.objects.filter(
        text_contains("findings_summary", text, ignore_case=True)
        | text_contains("conclusion", text, ignore_case=True)
    )


def report_conclusions(case) -> dict[int, dict[str, str]]:
    """The report's conclusion per officer and clause, for the clause matrix."""
    conclusions: dict[int, dict[str, str]] = defaultdict(dict)
    for item in ReportConclusion.objects.filter(report__case=case):
        conclusions[item.subject_officer_id][item.clause_ref] = item.conclusion
    return conclusions


def register() -> None:
    case_fact_register("report_signed_off", report_signed_off)
    search_text_register(reports_containing)
    review_column_register("report_conclusions", report_conclusions)
