"""The case workflow in one place: the stages, the guards that come from the
regulations' procedure rules, and which moves a user may make now.

The transitions themselves are declared on Case (django-fsm-2) and carried out
by cases.services.transitions; a guard returns the reason a move is refused
(in Chinese, for the page) or None when it may go ahead."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy


class CaseState(models.TextChoices):
    DRAFT = "draft", gettext_lazy("草稿")
    REGISTERED = "registered", gettext_lazy("已登记")
    INVESTIGATING = "investigating", gettext_lazy("调查核实")
    EXPERT_REVIEW = "expert_review", gettext_lazy("专家论证")
    DELIBERATION = "deliberation", gettext_lazy("集体研究")
    DECIDED = "decided", gettext_lazy("已作出决定")
    FILED = "filed", gettext_lazy("已备案")
    PUBLISHED = "published", gettext_lazy("已公开")
    CLOSED = "closed", gettext_lazy("已结案")
    WITHDRAWN = "withdrawn", gettext_lazy("已撤销")


# The stages at which facts are recorded and clauses evaluated, in order.
class Stage(models.TextChoices):
    INTAKE = "intake", pgettext_lazy("stage", "登记")
    INVESTIGATION = "investigation", gettext_lazy("调查核实")
    EXPERT_REVIEW = "expert_review", gettext_lazy("专家论证")
    DELIBERATION = "deliberation", gettext_lazy("集体研究")


# Outcomes under which liability is not pursued: filing and publication apply.
NO_LIABILITY_OUTCOMES = frozenset({"exempt", "no_fault"})

Guard = Callable[["Case"], str | None]  # noqa: F821


def condition(guard: Guard) -> Callable[[object], bool]:
    """Adapt a guard to a django-fsm condition (true when nothing refuses)."""

    def check(case) -> bool:
        return guard(case) is None

    check.guard = guard
    check.__name__ = guard.__name__
    return check


def _related(case, name: str):
    try:
        return getattr(case, name)
    except ObjectDoesNotExist:
        return None


def _report_is_submitted(case) -> bool:
    report = _related(case, "investigation_report")
    return report is not None and report.signed_off_at is not None


def _panel_has_concluded(case) -> bool:
    panel = _related(case, "expert_panel")
    return panel is not None and panel.concluded_at is not None


def _has_no_liability_determination(case) -> bool:
    return any(
        d.outcome in NO_LIABILITY_OUTCOMES for d in case.determinations.all() if d.is_adopted
    )


def guard_register(case) -> str | None:
    if not case.subject_officers.exists():
        return _("尚未列明涉及的执法人员，不能登记。")
    if not case.allegation.strip():
        return _("尚未写明反映的问题，不能登记。")
    return None


def guard_report_submitted(case) -> str | None:
    if not _report_is_submitted(case):
        return _("调查报告尚未经调查组长签发，不能进入下一阶段。")
    return None


def guard_deliberation(case) -> str | None:
    refused = guard_report_submitted(case)
    if refused:
        return refused
    if case.state == CaseState.EXPERT_REVIEW and not _panel_has_concluded(case):
        return _("专家组尚未出具书面论证意见，不能提交集体研究。")
    if (
        case.disputed
        and case.procedure.get("expert_panel_required_when_disputed")
        and not _panel_has_concluded(case)
    ):
        return _(
            "本案对是否依法履职或是否存在过错有争议，依照%(regulation)s第九条，"
            "须先由专家组出具书面论证意见，再提交集体研究。"
        ) % {"regulation": case.regulation.title}
    return None


def guard_decide(case) -> str | None:
    officers = {s.pk for s in case.subject_officers.all()}
    decided = {d.subject_officer_id for d in case.determinations.all() if d.is_adopted}
    if not officers or officers - decided:
        return _("尚有执法人员的责任认定未经集体研究表决通过。")
    return None


def guard_file(case) -> str | None:
    if not _has_no_liability_determination(case):
        return _("本案没有不予追究责任的决定，无需报纪检监察机关备案。")
    return None


def guard_publish(case) -> str | None:
    if not _has_no_liability_determination(case):
        return _("本案没有不予追究责任的决定，无需公开。")
    if case.procedure.get("no_liability_filing_required") and case.state != CaseState.FILED:
        return _("不予追究责任的决定须先报同级纪检监察机关备案，再公开。")
    return None


def guard_close(case) -> str | None:
    if (
        case.procedure.get("close_requires_filing_and_publication")
        and _has_no_liability_determination(case)
        and case.state != CaseState.PUBLISHED
    ):
        return _("不予追究责任的决定须经备案并在一定范围公开后，方可结案。")
    return None


@dataclass(frozen=True)
class AvailableTransition:
    name: str
    label: str
    target: str
    allowed: bool
    reason: str | None


TRANSITION_LABELS = {
    "register": gettext_lazy("登记立案"),
    "start_investigation": gettext_lazy("开始调查核实"),
    "request_expert_review": gettext_lazy("提请专家论证"),
    "submit_for_deliberation": gettext_lazy("提交集体研究"),
    "decide": gettext_lazy("确认集体研究决定"),
    "file": gettext_lazy("报纪检监察机关备案"),
    "publish": gettext_lazy("公开决定"),
    "close": gettext_lazy("结案"),
    "withdraw": gettext_lazy("撤销案件"),
}


def available_transitions(case, user) -> list[AvailableTransition]:
    """The moves from the case's current stage that the user holds the
    permission for, each with whether its guards allow it now and, if not,
    why — the page shows refused moves disabled with their reason."""
    result = []
    for transition in case.get_all_state_transitions():
        if transition.source not in (case.state, "*"):
            continue
        if not transition.has_perm(case, user):
            continue
        reason = None
        for check in transition.conditions:
            reason = check.guard(case)
            if reason:
                break
        result.append(
            AvailableTransition(
                name=transition.name,
                label=str(TRANSITION_LABELS.get(transition.name, transition.name)),
                target=transition.target,
                allowed=reason is None,
                reason=reason,
            )
        )
    return result
