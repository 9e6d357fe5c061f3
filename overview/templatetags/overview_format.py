"""Numbers on the overview page, grouped and punctuated per locale even
though the project leaves USE_THOUSAND_SEPARATOR off: 12,345 in English;
Django's Chinese formats group without a separator."""

from django import template

from overview.figures import clause_label, count_text, days_text

register = template.Library()


@register.filter
def count(value) -> str:
    return "—" if value is None else count_text(value)


@register.filter
def days(value) -> str:
    return "—" if value is None else days_text(value)


@register.filter
def clause(use) -> str:
    return clause_label(use)


@register.filter
def days_past(deadline, now) -> str:
    """Whole days from `deadline` to `now`, as a number for the locale
    (whole days read unambiguously in Chinese, unlike "5月")."""
    return count_text((now - deadline).days)
