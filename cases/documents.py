"""Context builders for the documents a case produces at intake."""

from django.utils import timezone

from cases.models import Case


def chinese_date(value) -> str:
    """2026年9月10日: Arabic numerals, year in full, no zero padding."""
    return f"{value.year}年{value.month}月{value.day}日"


def intake_form_context(case: Case) -> dict:
    subject_officers = case.subject_officers.select_related("officer", "officer__unit")
    return {
        "case": case,
        "unit": case.unit,
        "subject_officers": list(subject_officers),
        "registered_on": chinese_date(timezone.localtime(case.state_entered_at)),
        "incident_date": chinese_date(case.incident_date),
    }
