from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cases.confirmations import CONSEQUENCES
from cases.services.working_calendar import deadline_status, working_calendar
from exemptions.citations import clause_where_for_reader

register = template.Library()

RESULT_LABELS = {
    "satisfied": _("成立"),
    "not_met": _("不成立"),
    "excluded": _("属除外情形"),
    "undetermined": _("待定"),
}
# A symbol beside every result, so that nothing is told by colour alone.
RESULT_SYMBOLS = {"satisfied": "✓", "not_met": "✗", "excluded": "⊘", "undetermined": "?"}
OUTCOME_LABELS = {
    "exempt": _("不予追究责任"),
    "undetermined": _("尚难认定"),
    "no_fault": _("不构成执法过错"),
    "mitigated": _("从轻或者减轻追究责任"),
    "liable": _("追究责任"),
    "transferred": _("移送纪检监察机关"),
}


# The engine's consistency flags (they warn; they do not decide).
FLAG_LABELS = {
    "fault_without_intent_or_gross_negligence": _(
        "认定存在执法过错，但既非故意也非重大过失——与连云港办法第七条的过错定义不一致。"
    ),
    "fault_established_despite_not_a_fault_clause": _(
        "认定存在执法过错，但有条款成立，依该条规定不认定为行政执法过错行为——两项认定相互矛盾。"
    ),
    "fault_without_harmful_consequence": _(
        "认定存在执法过错，但未造成危害后果或者不良影响——与连云港办法第七条的过错定义不一致。"
    ),
}


@register.filter
def flag_label(flag: str) -> str:
    return FLAG_LABELS.get(flag, flag)


@register.filter
def result_label(result: str) -> str:
    return RESULT_LABELS.get(result, result)


@register.filter
def result_symbol(result: str) -> str:
    return RESULT_SYMBOLS.get(result, "")


@register.filter
def outcome_label(outcome: str) -> str:
    return OUTCOME_LABELS.get(outcome, outcome)


@register.filter
def fact_label(key: str, facts) -> str:
    fact = facts.get(key)
    return fact.display_label if fact else key


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def fact_value(value) -> str:
    if value is True:
        return _("是")
    if value is False:
        return _("否")
    if value is None:
        return "—"
    return {
        "none": _("未造成不良后果"),
        "minor": _("情节轻微、影响较小"),
        "major": _("重大影响和损失"),
        "severe": _("恶劣影响或严重后果"),
    }.get(value, value)


# --- deadlines in working days (issue 15) -------------------------------------------------


def _request_calendar(context):
    """The working calendar, loaded once per request however many deadlines
    the page shows."""
    request = context.get("request")
    if request is None:
        return working_calendar()
    if not hasattr(request, "_working_calendar"):
        request._working_calendar = working_calendar()
    return request._working_calendar


@register.simple_tag(takes_context=True)
def working_days_left(context, deadline) -> str:
    """ "剩余 N 个工作日", "今日到期" or "已超期 N 个工作日" for a deadline, counted
    on the official calendar from today to the deadline's date."""
    if deadline is None:
        return ""
    now = context.get("now") or timezone.now()
    status = deadline_status(deadline, now, _request_calendar(context))
    if status.date == timezone.localtime(now).date():
        return _("今日已到期") if status.overdue else _("今日到期")
    if not status.overdue:
        n = status.working_days
        return ngettext("剩余 %(n)s 个工作日", "剩余 %(n)s 个工作日", n) % {"n": n}
    n = status.working_days_overdue
    if n == 0:  # passed on a day off, no working day since
        return _("已超期")
    return ngettext("已超期 %(n)s 个工作日", "已超期 %(n)s 个工作日", n) % {"n": n}


# '6.4' → 第六条第（四）项, or Art. 6(4) for an English reader: the one citation
# helper (exemptions.citations), also registered in catalog_text.
register.filter("clause_where", clause_where_for_reader)


@register.simple_tag
def consequence(action: str) -> str:
    """What an irreversible action cannot undo (cases.confirmations)."""
    return str(CONSEQUENCES[action])


@register.simple_tag
def consequence_of(action: str) -> str:
    """As `consequence`, or "" for an action that asks no confirmation."""
    return consequence(action) if action in CONSEQUENCES else ""
