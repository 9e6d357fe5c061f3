"""The parties a stage of the workflow waits on (cases.workflow.STAGES names
them by key). Each party answers two questions that must agree:

- `users(case)`: who it is on this case now (the case page's waiting-on line,
  the deadline reminders, the services' "is it your turn");
- `arms(user, cases)`: for which cases (of `cases`, already narrowed to the
  stage) the user is it — small indexed selects of case ids, which
  cases.selectors unions into My tasks and its count.

tests/cases/test_workflow_properties.py checks the two against each other."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role


@dataclass(frozen=True)
class Party:
    key: str
    description: Promise
    roles: tuple[str, ...]
    users: Callable[[object], list[User]]
    arms: Callable[[User, QuerySet], list[QuerySet]]


def _panel(case):
    from reviews.models import ExpertPanel

    return ExpertPanel.objects.filter(case=case).first()


def _panel_exists(**filters):
    from reviews.models import ExpertPanel

    return Exists(ExpertPanel.objects.filter(case=OuterRef("pk"), **filters))


# --- the registering inspector ----------------------------------------------------------


def _registrar_users(case) -> list[User]:
    return [case.created_by]


def _registrar_arms(user, cases) -> list[QuerySet]:
    return [cases.filter(created_by=user).values("pk")]


# --- the investigators: the lead, or every investigator of the unit without one -------


def _investigators(case) -> list[User]:
    if case.lead_investigator_id:
        return [case.lead_investigator]
    return list(
        User.objects.filter(
            units=case.unit_id, groups__name=Role.INVESTIGATOR, is_active=True
        ).distinct()
    )


def _investigator_arms(user, cases) -> list[QuerySet]:
    arms = [cases.filter(lead_investigator=user).values("pk")]
    units = user.unit_ids()
    if units and user.has_role(Role.INVESTIGATOR):
        arms.append(cases.filter(lead_investigator__isnull=True, unit_id__in=units).values("pk"))
    return arms


# --- expert review: before, during and after the panel -------------------------------


def _organiser_users(case) -> list[User]:
    return [] if _panel(case) is not None else [case.created_by]


def _organiser_arms(user, cases) -> list[QuerySet]:
    return [cases.filter(created_by=user).exclude(_panel_exists()).values("pk")]


def _panel_member_users(case) -> list[User]:
    panel = _panel(case)
    if panel is None or panel.concluded_at is not None:
        return []
    return list(panel.members.all())


def _panel_member_arms(user, cases) -> list[QuerySet]:
    from reviews.models import ExpertPanel

    return [
        ExpertPanel.members.through.objects.filter(
            user=user,
            expertpanel__concluded_at__isnull=True,
            expertpanel__case__in=cases.values("pk"),
        )
        .order_by()
        .values("expertpanel__case_id")
    ]


def _submitter_users(case) -> list[User]:
    panel = _panel(case)
    if panel is None or panel.concluded_at is None:
        return []
    return _investigators(case)


def _submitter_arms(user, cases) -> list[QuerySet]:
    return _investigator_arms(user, cases.filter(_panel_exists(concluded_at__isnull=False)))


# --- deliberation: the unit's chairs, and the members yet to vote --------------------


def _chair_users(case) -> list[User]:
    return list(
        User.objects.filter(
            units=case.unit_id, groups__name=Role.LEADERSHIP_CHAIR, is_active=True
        ).distinct()
    )


def _chair_arms(user, cases) -> list[QuerySet]:
    units = user.unit_ids()
    if units and user.has_role(Role.LEADERSHIP_CHAIR):
        return [cases.filter(unit_id__in=units).values("pk")]
    return []


def _unvoted(meeting_ref, member_ref):
    """A proposed determination of the meeting on which the member has no
    vote; member_ref reaches the seat from inside the vote subquery (two
    levels down: OuterRef(OuterRef("pk")))."""
    from reviews.models import Determination, Vote

    return Exists(
        Determination.objects.filter(
            meeting=meeting_ref, status=Determination.Status.PROPOSED
        ).exclude(Exists(Vote.objects.filter(determination=OuterRef("pk"), member=member_ref)))
    )


def _open_seats():
    from reviews.models import Meeting, MeetingMember

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


# --- filing: the discipline-inspection liaisons of the unit's body ------------------


def _liaison_users(case) -> list[User]:
    return list(
        User.objects.filter(
            groups__name=Role.DISCIPLINE_LIAISON,
            discipline_body=case.unit.discipline_body_id,
            is_active=True,
        ).distinct()
    )


def _liaison_arms(user, cases) -> list[QuerySet]:
    if user.discipline_body_id and user.has_role(Role.DISCIPLINE_LIAISON):
        return [cases.filter(unit__discipline_body_id=user.discipline_body_id).values("pk")]
    return []


PARTIES: dict[str, Party] = {
    party.key: party
    for party in (
        Party(
            "registrar",
            _("登记案件的承办人员"),
            (Role.INSPECTOR,),
            _registrar_users,
            _registrar_arms,
        ),
        Party(
            "investigators",
            _("调查组长；尚未确定组长的，本单位全体调查人员"),
            (Role.INVESTIGATOR,),
            _investigators,
            _investigator_arms,
        ),
        Party(
            "panel_organiser",
            _("专家组组建前：登记案件的承办人员"),
            (Role.INSPECTOR,),
            _organiser_users,
            _organiser_arms,
        ),
        Party(
            "panel_members",
            _("专家组组建后、出具意见前：专家组全体成员"),
            (Role.EXPERT,),
            _panel_member_users,
            _panel_member_arms,
        ),
        Party(
            "submitting_investigators",
            _("专家组出具意见后：调查组长（尚未确定组长的，本单位全体调查人员）"),
            (Role.INVESTIGATOR,),
            _submitter_users,
            _submitter_arms,
        ),
        Party(
            "chairs",
            _("本单位主要负责人"),
            (Role.LEADERSHIP_CHAIR,),
            _chair_users,
            _chair_arms,
        ),
        Party(
            "voters",
            _("会议进行中：出席且尚未表态的领导班子成员（主要负责人末位表态）"),
            (Role.LEADERSHIP_MEMBER,),
            _voter_users,
            _voter_arms,
        ),
        Party(
            "liaisons",
            _("同级纪检监察机关的联络人"),
            (Role.DISCIPLINE_LIAISON,),
            _liaison_users,
            _liaison_arms,
        ),
    )
}
