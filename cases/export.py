"""The case list as a CSV file or an Excel workbook: the rows the list shows,
with its filters, in the reader's language. Every export is an audit event
naming its filters and how many cases it held."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from audit.models import AuditEventType
from audit.services import audit_record
from cases import errors
from cases.models import Case
from documents.spreadsheets import table_csv, table_xlsx

FORMATS = ("csv", "xlsx")
# An export is for a bureau's working list, not a copy of the database.
EXPORT_LIMIT = 10_000

HEADER = (
    gettext_lazy("案件编号"),
    gettext_lazy("承办单位"),
    gettext_lazy("涉及执法人员"),
    gettext_lazy("阶段"),
    gettext_lazy("本阶段期限"),
    gettext_lazy("阶段变动时间"),
    gettext_lazy("认定结果"),
)


def _local_date(value):
    return timezone.localtime(value).date() if value else None


def case_list_rows(cases) -> list[tuple]:
    """One row per case, as the list shows it (the cases from
    case_list_for_user, which prefetches what the row reads)."""
    rows = []
    for case in cases:
        outcomes = sorted({d.get_outcome_display() for d in case.adopted_determinations})
        rows.append(
            (
                case.display_number,
                case.unit.name,
                "、".join(s.officer.name for s in case.subject_officers.all()),
                case.get_state_display(),
                _local_date(case.deadline_at),
                _local_date(case.state_entered_at),
                "、".join(outcomes),
            )
        )
    return rows


def case_list_export(
    *, actor: User, cases: QuerySet[Case], fmt: str, filters: dict[str, str]
) -> tuple[bytes, int]:
    """The filtered list (`cases`, already narrowed to what the actor reads)
    in `fmt`; returns the file and how many cases it holds. More than
    EXPORT_LIMIT cases is refused with a ValidationError, and nothing is
    recorded."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    count = cases.count()
    if count > EXPORT_LIMIT:
        raise ValidationError(errors.EXPORT_TOO_MANY % {"count": count, "limit": EXPORT_LIMIT})
    header = [str(label) for label in HEADER]
    rows = case_list_rows(cases)
    content = table_csv(header, rows) if fmt == "csv" else table_xlsx(_("案件"), header, rows)
    with transaction.atomic():
        audit_record(
            event_type=AuditEventType.CASE_LIST_EXPORTED,
            actor=actor,
            summary=f"导出案件列表（{fmt.upper()}，{len(rows)}件）",
            data={"format": fmt, "filters": filters, "count": len(rows)},
        )
    return content, len(rows)
