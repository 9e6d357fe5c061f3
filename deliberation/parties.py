"""The parties the collective decision waits on (cases.parties): the members
yet to vote, and the members of the latest meeting. Registered into
cases.parties.PARTIES by DeliberationConfig.ready()."""

from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from cases.parties import Party
from deliberation.models import Determination, Meeting, MeetingMember, Vote


def _unvoted(meeting_ref, member_ref):
    """A proposed determination of the meeting on which the member has no
    vote; member_ref reaches the seat from inside the vote subquery (two
    levels down: OuterRef(OuterRef("pk")))."""
    return Exists(
        Determination.objects.filter(
            meeting=meeting_ref, status=Determination.Status.PROPOSED
        ).exclude(Exists(Vote.objects.filter(determination=OuterRef("pk"), member=member_ref)))
    )


def _open_seats():
    return MeetingMember.objects.filter(
        attendance=MeetingMember.Attendance.PRESENT,
        is_chair=False,
        meeting__status=Meeting.Status.OPEN,
    )


def _voter_users(case) -> list[User]:
    seats = (
        _open_seats()
        .filter(meeting__case=case)
        .filter(_unvoted(OuterRef("meeting"), OuterRef(OuterRef("pk"))))
        .select_related("user")
    )
    return [seat.user for seat in seats]


def _voter_arms(user, cases) -> list[QuerySet]:
    """Members present at an open meeting, not its chair, who have not yet
    stated a position on a proposed determination. Starts from the user's own
    meeting seats, which are few."""
    if not user.has_role(Role.LEADERSHIP_MEMBER, Role.LEADERSHIP_CHAIR):
        return []
    return [
        _open_seats()
        .filter(user=user, meeting__case__in=cases.values("pk"))
        .filter(_unvoted(OuterRef("meeting"), OuterRef(OuterRef("pk"))))
        .order_by()
        .values("meeting__case_id")
    ]


# --- the members of the case's latest meeting (told when it is convened and closed) ---


def _meeting_member_users(case) -> list[User]:
    meeting = case.meetings.order_by("-pk").first()
    if meeting is None:
        return []
    return [seat.user for seat in meeting.members.select_related("user").order_by("pk")]


def _meeting_member_arms(user, cases) -> list[QuerySet]:
    latest = Meeting.objects.filter(case=OuterRef("meeting__case")).order_by("-pk").values("pk")[:1]
    return [
        MeetingMember.objects.filter(user=user, meeting__case__in=cases.values("pk"))
        .filter(meeting=models.Subquery(latest))
        .order_by()
        .values("meeting__case_id")
    ]


PARTIES = (
    Party(
        "voters",
        _("会议进行中：出席且尚未表态的领导班子成员（主要负责人末位表态）"),
        (Role.LEADERSHIP_MEMBER,),
        _voter_users,
        _voter_arms,
    ),
    Party(
        "meeting_members",
        _("本案最近一次集体研究会议的参会成员"),
        (Role.LEADERSHIP_MEMBER, Role.LEADERSHIP_CHAIR),
        _meeting_member_users,
        _meeting_member_arms,
    ),
)
