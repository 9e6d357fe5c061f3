"""The document a case produces at intake: the registration form (立案登记表),
an internal form without a 发文字号."""

from cases.models import Case
from documents.events import move_date
from documents.formatting import chinese_date
from documents.kinds import DocumentKind
from documents.registry import document_kind


@document_kind(DocumentKind.INTAKE_FORM, "documents/intake_form.html")
def intake_form_context(case: Case) -> dict:
    """登记日期 is the day of the registration move, whatever stage the case
    is in when the form is printed."""
    subject_officers = case.subject_officers.select_related("officer", "officer__unit")
    registered = move_date(case, "register")
    return {
        "case": case,
        "unit": case.unit,
        "subject_officers": list(subject_officers),
        "registered_on": chinese_date(registered) if registered else "",
        "incident_date": chinese_date(case.incident_date),
    }
