"""Read queries of the investigation report, the expert panel and the
collective decision, each in a fixed number of queries however many officers,
clauses, members or votes there are."""

from django.db.models import F, Prefetch, QuerySet

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEvent, AuditEventType
from cases.models import Case
from reviews.models import (
    Determination,
    DisputedClause,
    ExpertOpinion,
    ExpertPanel,
    FilingPackage,
    InvestigationReport,
    Meeting,
    MeetingMember,
    ReportConclusion,
    Vote,
)

LEADERSHIP_ROLES = (Role.LEADERSHIP_MEMBER, Role.LEADERSHIP_CHAIR)


def report_for_case(case: Case) -> InvestigationReport | None:
    """The case's report with its clause conclusions, or None."""
    return (
        InvestigationReport.objects.filter(case=case)
        .select_related("updated_by", "signed_off_by")
        .prefetch_related(
            Prefetch("clause_conclusions", queryset=ReportConclusion.objects.order_by("id"))
        )
        .first()
    )


def panel_for_case(case: Case) -> ExpertPanel | None:
    """The case's expert panel with its members, disputed clauses and every
    opinion on them, or None."""
    return (
        ExpertPanel.objects.filter(case=case)
        .select_related("concluded_by")
        .prefetch_related(
            Prefetch("members", queryset=User.objects.order_by("id")),
            Prefetch(
                "disputed",
                queryset=DisputedClause.objects.prefetch_related(
                    Prefetch("opinions", queryset=ExpertOpinion.objects.select_related("member"))
                ),
            ),
        )
        .first()
    )


def _meetings() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("convened_by", "closed_by").prefetch_related(
        Prefetch("members", queryset=MeetingMember.objects.select_related("user")),
        Prefetch(
            "determinations",
            queryset=Determination.objects.select_related(
                "proposed_by", "subject_officer__officer"
            ).prefetch_related(
                Prefetch("votes", queryset=Vote.objects.select_related("member__user"))
            ),
        ),
    )


def meetings_for_case(case: Case) -> list[Meeting]:
    """Every meeting on the case, newest first, with members, determinations
    and votes."""
    return list(_meetings().filter(case=case))


def meeting_detail(*, case: Case, meeting_id: int) -> Meeting:
    """One meeting of the case with members, determinations and votes;
    Meeting.DoesNotExist when the case has no such meeting."""
    return _meetings().get(case=case, pk=meeting_id)


def leadership_of_unit(case: Case) -> QuerySet[User]:
    """The leadership members of the case's unit, who may be convened."""
    return (
        User.objects.filter(units=case.unit_id, groups__name__in=LEADERSHIP_ROLES, is_active=True)
        .distinct()
        .order_by("id")
    )


def chairs_of_unit(case: Case) -> QuerySet[User]:
    return leadership_of_unit(case).filter(groups__name=Role.LEADERSHIP_CHAIR)


def experts_of_unit(case: Case) -> QuerySet[User]:
    """The experts who can see the case (those of its unit)."""
    return (
        User.objects.filter(units=case.unit_id, groups__name=Role.EXPERT, is_active=True)
        .distinct()
        .order_by("id")
    )


def clauses_in_question(matrix, conclusions=()) -> list[str]:
    """The clauses the report must conclude on for one officer (an
    OfficerMatrix at the investigation stage): those claimed, those the engine
    finds satisfied or excluded, and those the report already concludes on;
    in catalogue order."""
    concluded = {
        c.clause_ref for c in conclusions if c.subject_officer_id == matrix.subject_officer.pk
    }
    refs = []
    for row in matrix.rows:
        results = {cell.result for cell in row.cells.values()}
        if row.claimed or results & {"satisfied", "excluded"} or row.ref in concluded:
            refs.append(row.ref)
    return refs


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
        object_type=FilingPackage._meta.label,
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
        object_type=FilingPackage._meta.label,
        object_id__in=[str(package.pk) for package in packages],
    ).order_by("sequence")
    for event in events:
        latest[int(event.object_id)] = event
    return latest
