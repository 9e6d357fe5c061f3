"""Read queries about cases."""

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from accounts.roles import Role
from accounts.selectors import user_visible_unit_ids
from cases.models import Case, Evidence, FactRecord, SubjectOfficer
from cases.workflow import CaseState
from documents.models import Document


def case_list_for_user(user: User) -> QuerySet[Case]:
    """Cases the user may see, newest first, with what the list shows."""
    return (
        Case.objects.filter(unit_id__in=user_visible_unit_ids(user))
        .select_related("unit", "created_by", "regulation__regulation")
        .prefetch_related(
            Prefetch(
                "subject_officers",
                queryset=SubjectOfficer.objects.select_related("officer"),
            )
        )
    )


def case_detail(pk: int) -> Case:
    """One case with everything its pages show, in a fixed number of queries."""
    return (
        Case.objects.select_related(
            "unit",
            "unit__discipline_body",
            "created_by",
            "lead_investigator",
            "regulation",
            "regulation__regulation",
        )
        .prefetch_related(
            Prefetch(
                "subject_officers",
                queryset=SubjectOfficer.objects.select_related(
                    "officer", "officer__unit"
                ).prefetch_related("clause_claims"),
            ),
            Prefetch("fact_records", queryset=FactRecord.objects.prefetch_related("evidence")),
            Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by")),
            Prefetch("documents", queryset=Document.objects.order_by("kind", "-requested_at")),
            "determinations",
            "filing_packages__acknowledged_by",
        )
        .get(pk=pk)
    )


def latest_documents(case: Case) -> list[Document]:
    """The newest document of each kind (uses the prefetched documents)."""
    seen: dict[str, Document] = {}
    for document in case.documents.all():
        seen.setdefault(document.kind, document)
    return list(seen.values())


def case_responsible_users(case: Case) -> list[User]:
    """Who the case is waiting on in its current stage (for reminders and the
    task lists); active accounts only."""
    return [user for user in _responsible(case) if user is not None and user.is_active]


def _responsible(case: Case) -> list[User]:
    unit_members = User.objects.filter(units=case.unit_id, is_active=True)
    if case.state in (
        CaseState.DRAFT,
        CaseState.REGISTERED,
        CaseState.DECIDED,
        CaseState.PUBLISHED,
    ):
        return [case.created_by]
    if case.state == CaseState.INVESTIGATING:
        if case.lead_investigator_id:
            return [case.lead_investigator]
        return list(unit_members.filter(groups__name=Role.INVESTIGATOR))
    if case.state == CaseState.EXPERT_REVIEW:
        panel = getattr(case, "expert_panel", None)
        if panel is not None:
            return list(panel.members.all())
        return [case.created_by]
    if case.state == CaseState.DELIBERATION:
        return list(unit_members.filter(groups__name=Role.LEADERSHIP_CHAIR))
    if case.state == CaseState.FILED:
        liaisons = User.objects.filter(
            groups__name=Role.DISCIPLINE_LIAISON,
            discipline_body=case.unit.discipline_body_id,
            is_active=True,
        )
        return [case.created_by, *liaisons]
    return []
