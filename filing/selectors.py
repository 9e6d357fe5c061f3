"""Read queries of the filing packages: the liaison's inbox and the audit
trail's downloads and verifications of each package."""

from django.db.models import F, QuerySet

from audit.models import AuditEvent, AuditEventType
from filing.models import FilingPackage
from filing.models.filing import PACKAGE_AUDIT_LABELS


def filing_inbox_packages(user) -> QuerySet[FilingPackage]:
    """The filing packages sent to the user's discipline-inspection body,
    those not yet acknowledged first, then newest first; none for a user of
    no body. A queryset, for the page to paginate."""
    if not user.discipline_body_id:
        return FilingPackage.objects.none()
    return (
        FilingPackage.objects.filter(discipline_body_id=user.discipline_body_id)
        .select_related("case", "case__unit", "built_by", "acknowledged_by")
        .order_by(F("acknowledged_at").asc(nulls_first=True), "-built_at", "-id")
    )


def filing_downloads(packages) -> dict[int, list[AuditEvent]]:
    """Every download of each package, newest first, read from the audit
    trail in one query: {package id: [AuditEvent, ...]}."""
    packages = list(packages)
    downloads: dict[int, list[AuditEvent]] = {package.pk: [] for package in packages}
    if not packages:
        return downloads
    events = AuditEvent.objects.filter(
        case_id__in={package.case_id for package in packages},
        event_type=AuditEventType.FILING_PACKAGE_DOWNLOADED,
        object_type__in=PACKAGE_AUDIT_LABELS,
        object_id__in=[str(package.pk) for package in packages],
    ).order_by("-sequence")
    for event in events:
        downloads[int(event.object_id)].append(event)
    return downloads


def filing_verifications(packages) -> dict[int, AuditEvent | None]:
    """The latest verification of each package (issue 17), read from the
    audit trail in one query: {package id: AuditEvent or None}."""
    packages = list(packages)
    latest: dict[int, AuditEvent | None] = {package.pk: None for package in packages}
    if not packages:
        return latest
    events = AuditEvent.objects.filter(
        case_id__in={package.case_id for package in packages},
        event_type=AuditEventType.FILING_PACKAGE_VERIFIED,
        object_type__in=PACKAGE_AUDIT_LABELS,
        object_id__in=[str(package.pk) for package in packages],
    ).order_by("sequence")
    for event in events:
        latest[int(event.object_id)] = event
    return latest
