"""The overview's charts, from its figures: what each chart shows and how its
values read, in the language of the request (numbers grouped per locale)."""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from exemptions.citations import clause_where_for_reader
from overview.charts import BarChart, Value, bar_chart
from overview.selectors import ClauseUse, Overview

# The clause chart shows the most relied-on clauses; the table lists them all.
CLAUSES_CHARTED = 12


def count_text(number: int) -> str:
    return number_format(number, decimal_pos=0, use_l10n=True, force_grouping=True)


def days_text(days: float) -> str:
    # number_format cuts the digits off; round first.
    return number_format(round(days, 1), decimal_pos=1, use_l10n=True, force_grouping=True)


def clause_label(use: ClauseUse) -> str:
    """ "泰安市 第六条第（四）项"; a principle, cited by its article alone, keeps
    its ref so that the principles of one article stay apart:
    "泰安市 第四条（4:level）"."""
    label = f"{_(use.jurisdiction)} {clause_where_for_reader(use.ref)}"
    if ":" not in use.ref:
        return label
    return _("%(label)s（%(ref)s）") % {"label": label, "ref": use.ref}


@dataclass(frozen=True)
class Figures:
    by_stage: BarChart
    by_outcome: BarChart
    by_unit: BarChart
    clauses: BarChart
    stage_times: BarChart
    overdue: BarChart


def overview_figures(overview: Overview) -> Figures:
    def counted(items) -> list[tuple[str, list[Value]]]:
        return [(item.label, [Value(item.count, count_text(item.count))]) for item in items]

    return Figures(
        by_stage=bar_chart(
            chart_id="chart-stage",
            title=_("各阶段案件数"),
            description=_("所选范围内的案件目前所处的阶段，每一横条为一个阶段的案件数。"),
            rows=counted(overview.by_stage),
        ),
        by_outcome=bar_chart(
            chart_id="chart-outcome",
            title=_("责任认定结果（按涉案执法人员计）"),
            description=_("每名涉案执法人员按表决通过的认定结果计一次；尚未作出认定的单列。"),
            rows=counted(overview.by_outcome),
        ),
        by_unit=bar_chart(
            chart_id="chart-unit",
            title=_("各单位案件数"),
            description=_("所选范围内每个承办单位的案件数，由多到少。"),
            rows=[(u.name, [Value(u.count, count_text(u.count))]) for u in overview.by_unit],
        ),
        clauses=bar_chart(
            chart_id="chart-clauses",
            title=_("条款适用情况"),
            description=_("每项条款在表决通过的认定中被援引的次数，以及登记时被主张的次数。"),
            rows=[
                (
                    clause_label(use),
                    [
                        Value(use.cited, _("决定援引 %(n)s 次") % {"n": count_text(use.cited)}),
                        Value(use.claimed, _("主张 %(n)s 次") % {"n": count_text(use.claimed)}),
                    ],
                )
                for use in overview.clauses[:CLAUSES_CHARTED]
            ],
        ),
        stage_times=bar_chart(
            chart_id="chart-times",
            title=_("各阶段用时（日）"),
            description=_("已结束的阶段停留的平均用时和中位数用时，按审计记录中的案件流转计算。"),
            rows=[
                (
                    item.label,
                    [
                        Value(
                            item.mean_days,
                            _("平均 %(days)s 日") % {"days": days_text(item.mean_days)},
                        ),
                        Value(
                            item.median_days,
                            _("中位数 %(days)s 日") % {"days": days_text(item.median_days)},
                        ),
                    ]
                    if item.stays
                    else [Value(None, _("暂无已结束的停留"))],
                )
                for item in overview.stage_times
            ],
        ),
        overdue=bar_chart(
            chart_id="chart-overdue",
            title=_("超期案件"),
            description=_("各阶段在办案件数和其中已超过本阶段期限的案件数。"),
            rows=[
                (
                    item.label,
                    [
                        Value(item.open, _("在办 %(n)s 件") % {"n": count_text(item.open)}),
                        Value(item.overdue, _("超期 %(n)s 件") % {"n": count_text(item.overdue)}),
                    ],
                )
                for item in overview.overdue_by_stage
            ],
        ),
    )
