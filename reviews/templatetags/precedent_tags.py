"""The similar decided cases panel (reviews.precedents), one tag per page so
that each page includes it with one line."""

from django import template

from cases.workflow import DECIDED_STATES, CaseState
from reviews.precedents import precedents_for_officer

register = template.Library()

# The case page shows precedents from deliberation on.
SHOWN_IN = DECIDED_STATES | {CaseState.DELIBERATION}


@register.inclusion_tag("reviews/_precedents.html", takes_context=True)
def precedents_panel(context, case, subject_officer):
    """The meeting page: one officer's similar decided cases."""
    user = context["request"].user
    return {"panels": [precedents_for_officer(user, case, subject_officer)], "case": case}


@register.inclusion_tag("reviews/_precedents.html", takes_context=True)
def case_precedents(context, case):
    """The case page: every officer's similar decided cases, in deliberation
    and after; nothing before."""
    if case.state not in SHOWN_IN:
        return {"panels": []}
    user = context["request"].user
    return {
        "panels": [precedents_for_officer(user, case, so) for so in case.subject_officers.all()],
        "case": case,
        "with_names": True,
    }
