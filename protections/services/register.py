"""Exporting the interference register for inspection: CSV or a printable
PDF. Every export is an audit event naming the entries it held."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from accounts.models import Unit, User
from audit.models import AuditEventType
from audit.services import audit_record
from documents.rendering import render_pdf
from protections import errors
from protections.exports import RegisterFilters, register_csv, register_pdf_context
from protections.rules import allowed
from protections.selectors import interference_register

REGISTER_TEMPLATE = "documents/interference_register.html"
FORMATS = ("csv", "pdf")


def interference_register_export(
    *, actor: User, filters: RegisterFilters, fmt: str
) -> tuple[bytes, int]:
    """The register as the actor may see it, filtered, in `fmt` ("csv" or
    "pdf"); returns the file and how many entries it holds."""
    if not allowed(actor, "protections.export_interference"):
        raise PermissionDenied(errors.MAY_NOT_EXPORT_REGISTER)
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    entries = list(
        interference_register(
            actor,
            date_from=filters.date_from,
            date_to=filters.date_to,
            unit=filters.unit,
            channel=filters.channel,
        ).order_by("occurred_at", "id")
    )
    if fmt == "csv":
        content = register_csv(entries)
    else:
        content = render_pdf(
            REGISTER_TEMPLATE,
            register_pdf_context(
                entries, actor=actor, filters=filters, issuer=filters.unit or _issuer(actor)
            ),
        ).content
    with transaction.atomic():
        audit_record(
            event_type=AuditEventType.INTERFERENCE_REGISTER_EXPORTED,
            actor=actor,
            summary=_("导出干预执法记录（%(format)s，%(count)s条）")
            % {"format": fmt.upper(), "count": len(entries)},
            data={
                "format": fmt,
                "filters": filters.as_data(),
                "entries": [entry.number for entry in entries],
            },
        )
    return content, len(entries)


def _issuer(actor: User) -> Unit | None:
    """A top unit the actor belongs to (one without a parent first), for the
    document's heading."""
    return (
        Unit.objects.filter(members=actor)
        .order_by(F("parent_id").asc(nulls_first=True), "name")
        .first()
    )
