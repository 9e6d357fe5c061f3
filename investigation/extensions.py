"""What the investigation adds to cases' extension points (cases.extensions),
registered by InvestigationConfig.ready()."""

from collections import defaultdict

from django.db.models import Q, QuerySet

from cases.extensions import case_fact_register, review_column_register, search_text_register
from investigation.models import InvestigationReport, ReportConclusion


def report_signed_off(case) -> bool:
    """Once the report is signed off the team can no longer change
    (cases.services.assignment)."""
    return InvestigationReport.objects.filter(case=case, signed_off_at__isnull=False).exists()


def cases_whose_report_contains(text: str) -> QuerySet:
    """The case list's search in the report's findings and conclusion
    (trigram indexes on PostgreSQL: reviews migration 0005)."""
    return InvestigationReport.objects.filter(
        Q(findings_summary__icontains=text) | Q(conclusion__icontains=text)
    ).values("case_id")


def report_conclusions(case) -> dict[int, dict[str, str]]:
    """The report's conclusion per officer and clause, for the clause matrix."""
    conclusions: dict[int, dict[str, str]] = defaultdict(dict)
    for item in ReportConclusion.objects.filter(report__case=case):
        conclusions[item.subject_officer_id][item.clause_ref] = item.conclusion
    return conclusions


def register() -> None:
    case_fact_register("report_signed_off", report_signed_off)
    search_text_register(cases_whose_report_contains)
    review_column_register("report_conclusions", report_conclusions)
