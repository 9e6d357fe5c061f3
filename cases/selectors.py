"""Read queries about cases."""

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from accounts.selectors import user_visible_unit_ids
from cases.models import Case, SubjectOfficer
from documents.models import Document


def case_list_for_user(user: User) -> QuerySet[Case]:
    """Cases the user may see, newest first, with what the list shows."""
    return (
        Case.objects.filter(unit_id__in=user_visible_unit_ids(user))
        .select_related("unit", "created_by")
        .prefetch_related(
            Prefetch(
                "subject_officers",
                queryset=SubjectOfficer.objects.select_related("officer"),
            )
        )
    )


def case_detail(pk: int) -> Case:
    return (
        Case.objects.select_related("unit", "created_by")
        .prefetch_related(
            Prefetch(
                "subject_officers",
                queryset=SubjectOfficer.objects.select_related("officer", "officer__unit"),
            ),
            Prefetch("documents", queryset=Document.objects.order_by("kind", "-requested_at")),
        )
        .get(pk=pk)
    )


def latest_documents(case: Case) -> list[Document]:
    """The newest document of each kind (uses the prefetched documents)."""
    seen: dict[str, Document] = {}
    for document in case.documents.all():
        seen.setdefault(document.kind, document)
    return list(seen.values())
