"""The similar decided cases panel (deliberation.precedents), one tag per page so
that each page includes it with one line."""

from django import template

from cases.workflow import DECIDED_STATES, CaseState
from deliberation.precedents import precedents_for_officers

register = template.Library()

# The case page shows precedents from deliberation on.
SHOWN_IN = DECIDED_STATES | {CaseState.DELIBERATION}


@register.inclusion_tag("deliberation/_precedents.html", takes_context=True)
def precedents_panel(context, case, subject_officer):
    """The meeting page: one officer's similar decided cases."""
    panels = _panels(context, case)
    return {"panels": [p for p in panels if p.subject_officer.pk == subject_officer.pk]}


@register.inclusion_tag("deliberation/_precedents.html", takes_context=True)
def case_precedents(context, case):
    """The case page: every officer's similar decided cases, in deliberation
    and after; nothing before."""
    if case.state not in SHOWN_IN:
        return {"panels": []}
    return {"panels": _panels(context, case), "with_names": True}


def _panels(context, case):
    """Every officer's panel, computed once per page (the meeting page asks
    officer by officer): kept on the case object the page renders."""
    user = context["request"].user
    cached = getattr(case, "_precedent_panels", None)
    if cached is None or cached[0] != user.pk:
        cached = (user.pk, precedents_for_officers(user, case, case.subject_officers.all()))
        case._precedent_panels = cached
    return cached[1]
