"""Who reads a case (need-to-know, docs/access.md): its participants, and no
one else. Each participant kind is one *reader arm*: a function of the user
giving the condition on cases that the kind reads, or None when the user is
not of that kind at all. `READER_ARMS` lists them; adding a kind of
participant is one line there. Every read path goes through
`cases.selectors.cases_readable_by` (lists, search, counts) or
`cases.rules.can_see_case` (one case and everything hanging on it), and both
are built from these arms, so the two cannot disagree.

The discipline liaison reads filed packages (filing.rules: download_filing),
the personnel role the personnel query, the administrative roles nothing:
none of them has an arm here.

The arms are ORed into every list query, so each is written for an index:
a condition on the case's own columns, or `pk_in_few` (cases.id_sets) for a
participation kept in another table (the team, the panel). PostgreSQL then
reads each arm through an index and unites them (a BitmapOr); an EXISTS
inside the OR was instead tested on every case in the database."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

from accounts.models import User
from accounts.roles import Role
from accounts.selectors import user_visible_unit_ids
from cases.id_sets import pk_in_few


@dataclass(frozen=True)
class ReaderArm:
    """One kind of participant. `condition(user)` is the condition on cases
    the kind reads (None: the user is not of that kind). `holds(user, case)`,
    when given, answers for one loaded case without a query, and may only say
    yes where `condition` would (tests/cases/test_need_to_know.py checks it);
    a no is always asked of the database, so an arm without `holds` is simply
    a query on the case page."""

    name: str
    condition: Callable[[User], Q | None]
    holds: Callable[[User, object], bool] | None = None


def _registrar(user: User) -> Q | None:
    """The inspector who registered the case."""
    if not user.has_role(Role.INSPECTOR):
        return None
    return Q(created_by=user)


def _registrar_holds(user: User, case) -> bool:
    return case.created_by_id == user.pk and user.has_role(Role.INSPECTOR)


def _investigators(user: User) -> Q | None:
    """The investigation team (the lead and the members); while a case has
    neither, every investigator of its unit (any of them may start it: the
    same rule as cases.parties._investigators)."""
    if not user.has_role(Role.INVESTIGATOR):
        return None
    from cases.models import Case

    team = Case.investigation_team.through.objects
    condition = Q(lead_investigator=user) | pk_in_few(team.filter(user=user).values("case_id"))
    units = user.unit_ids()
    if units:
        # NOT IN (every team's cases): hashed once, tested only on the unit's
        # cases without a lead (the index finds those).
        condition |= Q(lead_investigator__isnull=True, unit_id__in=units) & ~Q(
            pk__in=team.values("case_id")
        )
    return condition


def _investigators_holds(user: User, case) -> bool:
    # Only the lead is known without a query; team members and the unit-wide
    # rule (which needs to know there is no team) are asked of the database.
    return case.lead_investigator_id == user.pk and user.has_role(Role.INVESTIGATOR)


def _leadership(user: User) -> Q | None:
    """The leadership of the case's unit and of the units above it."""
    if not user.has_role(Role.LEADERSHIP_MEMBER, Role.LEADERSHIP_CHAIR):
        return None
    return Q(unit_id__in=user_visible_unit_ids(user))


def _leadership_holds(user: User, case) -> bool:
    return user.has_role(
        Role.LEADERSHIP_MEMBER, Role.LEADERSHIP_CHAIR
    ) and case.unit_id in user_visible_unit_ids(user)


def _case_supervisors(user: User) -> Q | None:
    """The designated case supervisors of the case's unit."""
    if not user.has_role(Role.CASE_SUPERVISOR):
        return None
    return Q(unit_id__in=user.unit_ids())


def _case_supervisors_holds(user: User, case) -> bool:
    return user.has_role(Role.CASE_SUPERVISOR) and case.unit_id in user.unit_ids()


# The stage apps add theirs (the expert panel's members) from their ready().
READER_ARMS: list[ReaderArm] = [
    ReaderArm("registrar", _registrar, _registrar_holds),
    ReaderArm("investigators", _investigators, _investigators_holds),
    ReaderArm("leadership", _leadership, _leadership_holds),
    ReaderArm("case_supervisors", _case_supervisors, _case_supervisors_holds),
]


def reader_arm_register(arm: ReaderArm) -> None:
    READER_ARMS.append(arm)


def reader_condition(user: User) -> Q | None:
    """The union of the user's arms; None when the user reads no case."""
    if not user.is_authenticated or not user.is_active:
        return None
    condition = None
    for arm in READER_ARMS:
        part = arm.condition(user)
        if part is not None:
            condition = part if condition is None else condition | part
    return condition


def reads_without_query(user: User, case) -> bool:
    """True when an arm's `holds` already says the user reads the loaded case
    (the case page's usual answer, at no query cost); False means "ask the
    database", never "no"."""
    return any(arm.holds is not None and arm.holds(user, case) for arm in READER_ARMS)
