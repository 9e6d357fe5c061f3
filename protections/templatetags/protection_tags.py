"""Template tags for the protections partials shown on other apps' pages."""

from django import template

from protections.selectors import interference_entries_for_case

register = template.Library()


@register.simple_tag(takes_context=True)
def case_interference_entries(context, case):
    """The interference entries linked to `case` that the current user may
    see (none for everyone else): one query."""
    request = context.get("request")
    if request is None or case is None or not request.user.is_authenticated:
        return []
    return interference_entries_for_case(case=case, user=request.user)
