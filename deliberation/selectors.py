"""Read queries of the collective decision, each in a fixed number of queries
however many officers, members or votes there are."""

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from accounts.roles import Role
from cases.models import Case
from deliberation.models import Determination, Meeting, MeetingMember, Vote

LEADERSHIP_ROLES = (Role.LEADERSHIP_MEMBER, Role.LEADERSHIP_CHAIR)


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
