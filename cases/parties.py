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


# --- deliberation: the unit's chairs (the members yet to vote: deliberation.parties) ---


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


# The stage apps add theirs (the expert panel's, the meeting's) from their
# ready(): party_register.
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
            "chairs",
            _("本单位主要负责人"),
            (Role.LEADERSHIP_CHAIR,),
            _chair_users,
            _chair_arms,
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


def party_register(*parties: Party) -> None:
    for party in parties:
        PARTIES[party.key] = party
