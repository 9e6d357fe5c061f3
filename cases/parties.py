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

from django.db import models
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
    from panel.models import ExpertPanel

    return ExpertPanel.objects.filter(case=case).first()


def _panel_exists(**filters):
    from panel.models import ExpertPanel

    return Exists(ExpertPanel.objects.filter(case=OuterRef("pk"), **filters))


# --- the registering inspector ----------------------------------------------------------


def _registrar_users(case) -> list[User]:
    return [case.created_by]


def _registrar_arms(user, cases) -> list[QuerySet]:
    return [cases.filter(created_by=user).values("pk")]


# --- the investigators: the team assigned (lead and members), or every investigator
# of the unit while nobody is assigned (old cases still route) ------------------------


def _investigators(case) -> list[User]:
    team = list(case.investigation_team.filter(is_active=True))
    if case.lead_investigator_id:
        return [case.lead_investigator, *(u for u in team if u.pk != case.lead_investigator_id)]
    if team:
        return team
    return list(
        User.objects.filter(
            units=case.unit_id, groups__name=Role.INVESTIGATOR, is_active=True
        ).distinct()
    )


def _team_member_case_ids(user, cases):
    from cases.models import Case

    return (
        Case.investigation_team.through.objects.filter(user=user, case__in=cases.values("pk"))
        .order_by()
        .values("case_id")
    )


def _investigator_arms(user, cases) -> list[QuerySet]:
    from cases.models import Case

    arms = [
        cases.filter(lead_investigator=user).values("pk"),
        _team_member_case_ids(user, cases),
    ]
    units = user.unit_ids()
    if units and user.has_role(Role.INVESTIGATOR):
        has_team = Exists(Case.investigation_team.through.objects.filter(case=OuterRef("pk")))
        arms.append(
            cases.filter(lead_investigator__isnull=True, unit_id__in=units)
            .exclude(has_team)
            .values("pk")
        )
    return arms


# --- expert review: before, during and after the panel -------------------------------


def _organiser_users(case) -> list[User]:
    return [] if _panel(case) is not None else [case.created_by]


def _organiser_arms(user, cases) -> list[QuerySet]:
    return [cases.filter(created_by=user).exclude(_panel_exists()).values("pk")]


def _owes_opinion(panel_ref, member_ref):
    """A disputed clause of the panel on which the member has given no
    opinion yet; member_ref reaches the member from inside the opinion
    subquery (two levels down: OuterRef(OuterRef(...))) or is a user."""
    from panel.models import DisputedClause, ExpertOpinion

    return Exists(
        DisputedClause.objects.filter(panel=panel_ref).exclude(
            Exists(ExpertOpinion.objects.filter(disputed_clause=OuterRef("pk"), member=member_ref))
        )
    )


def _open_panel_seats(user, cases):
    from panel.models import ExpertPanel

    return ExpertPanel.members.through.objects.filter(
        user=user,
        expertpanel__concluded_at__isnull=True,
        expertpanel__case__in=cases.values("pk"),
    ).order_by()


def _panel_member_users(case) -> list[User]:
    """The members who still owe an opinion: each drops out once theirs are
    all given."""
    panel = _panel(case)
    if panel is None or panel.concluded_at is not None:
        return []
    return list(panel.members.filter(_owes_opinion(panel, OuterRef(OuterRef("pk")))))


def _panel_member_arms(user, cases) -> list[QuerySet]:
    return [
        _open_panel_seats(user, cases)
        .filter(_owes_opinion(OuterRef("expertpanel"), user))
        .values("expertpanel__case_id")
    ]


def _panel_concluder_users(case) -> list[User]:
    """Once every opinion is given: the members, one of whom issues the
    panel's written opinion."""
    panel = _panel(case)
    if panel is None or panel.concluded_at is not None:
        return []
    if panel.members.filter(_owes_opinion(panel, OuterRef(OuterRef("pk")))).exists():
        return []
    return list(panel.members.all())


def _panel_concluder_arms(user, cases) -> list[QuerySet]:
    from panel.models import ExpertPanel

    anyone_owes = Exists(
        ExpertPanel.members.through.objects.filter(expertpanel=OuterRef("expertpanel")).filter(
            _owes_opinion(OuterRef("expertpanel"), OuterRef(OuterRef("user")))
        )
    )
    return [_open_panel_seats(user, cases).exclude(anyone_owes).values("expertpanel__case_id")]


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
    from deliberation.models import Determination, Vote

    return Exists(
        Determination.objects.filter(
            meeting=meeting_ref, status=Determination.Status.PROPOSED
        ).exclude(Exists(Vote.objects.filter(determination=OuterRef("pk"), member=member_ref)))
    )


def _open_seats():
    from deliberation.models import Meeting, MeetingMember

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
    from deliberation.models import Meeting, MeetingMember

    latest = Meeting.objects.filter(case=OuterRef("meeting__case")).order_by("-pk").values("pk")[:1]
    return [
        MeetingMember.objects.filter(user=user, meeting__case__in=cases.values("pk"))
        .filter(meeting=models.Subquery(latest))
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
            _("调查组（组长及成员）；尚未指派的，本单位全体调查人员"),
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
            _("专家组组建后：尚未发表意见的专家"),
            (Role.EXPERT,),
            _panel_member_users,
            _panel_member_arms,
        ),
        Party(
            "panel_concluders",
            _("专家意见齐备、出具书面意见前：专家组成员"),
            (Role.EXPERT,),
            _panel_concluder_users,
            _panel_concluder_arms,
        ),
        Party(
            "submitting_investigators",
            _("专家组出具书面意见后：调查组（尚未指派的，本单位全体调查人员）"),
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
            "meeting_members",
            _("本案最近一次集体研究会议的参会成员"),
            (Role.LEADERSHIP_MEMBER, Role.LEADERSHIP_CHAIR),
            _meeting_member_users,
            _meeting_member_arms,
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
