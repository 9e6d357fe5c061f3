"""The overview's figures as an Excel workbook: one sheet per table of the
page, in the reader's language, with the scope on a first sheet. The export
is an audit event naming its scope."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import AuditEventType
from audit.services import audit_record
from documents.spreadsheets import Sheet, sheets_xlsx
from overview.figures import clause_label
from overview.selectors import Overview


def overview_sheets(overview: Overview, scope_lines: list[tuple[str, str]]) -> list[Sheet]:
    def rounded(days):
        return round(days, 1) if days is not None else None

    return [
        Sheet(
            _("统计范围"),
            [_("项目"), _("内容")],
            [
                *scope_lines,
                (_("案件总数"), overview.total_cases),
                (_("在办案件"), overview.open_cases),
                (_("超期案件"), overview.overdue_total),
                (_("已作出认定（人次）"), overview.determinations_adopted),
            ],
        ),
        Sheet(
            _("按阶段"), [_("阶段"), _("案件数")], [(i.label, i.count) for i in overview.by_stage]
        ),
        Sheet(
            _("认定结果"),
            [_("认定结果"), _("人次")],
            [(i.label, i.count) for i in overview.by_outcome],
        ),
        Sheet(
            _("按单位"), [_("承办单位"), _("案件数")], [(u.name, u.count) for u in overview.by_unit]
        ),
        Sheet(
            _("条款适用"),
            [_("条款"), _("登记时主张"), _("调查认定成立"), _("决定援引")],
            [(clause_label(c), c.claimed, c.found_satisfied, c.cited) for c in overview.clauses],
        ),
        Sheet(
            _("各阶段用时"),
            [_("阶段"), _("已结束的停留"), _("平均用时（日）"), _("中位数用时（日）")],
            [
                (t.label, t.stays, rounded(t.mean_days), rounded(t.median_days))
                for t in overview.stage_times
            ],
        ),
        Sheet(
            _("超期案件"),
            [_("阶段"), _("在办"), _("超期")],
            [(o.label, o.open, o.overdue) for o in overview.overdue_by_stage],
        ),
    ]


def overview_export(
    *, actor: User, overview: Overview, scope_lines: list[tuple[str, str]], filters: dict
) -> bytes:
    """The workbook of the figures; records the export."""
    content = sheets_xlsx(overview_sheets(overview, scope_lines))
    with transaction.atomic():
        audit_record(
            event_type=AuditEventType.OVERVIEW_EXPORTED,
            actor=actor,
            summary="导出统计概览（XLSX）",
            data={"format": "xlsx", "filters": filters},
        )
    return content
