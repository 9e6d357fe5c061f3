"""Who reads a case (need-to-know, docs/access.md): its participants, and no
one else. Each participant kind is one *reader arm*: a function of the user
giving the condition on cases that the kind reads, or None when the user is
not of that kind at all. `READER_ARMS` lists them; adding a kind of
participant is one line there. Every read path goes through
`cases.selectors.cases_readable_by` (lists, search, counts) or
`cases.rules.can_see_case` (one case and everything hanging on it), and both
are built from these arms, so the two cannot disagree.

The discipline liaison reads filed packages (reviews.rules.download_filing),
the personnel role the personnel query, the administrative roles nothing:
none of them has an arm here."""

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q

from accounts.models import User
from accounts.roles import Role
from accounts.selectors import user_visible_unit_ids


def registrar_arm(user: User) -> Q | None:
    """The inspector who registered the case."""
    if not user.has_role(Role.INSPECTOR):
        return None
    return Q(created_by=user)


def investigator_arm(user: User) -> Q | None:
    """The assigned investigator; while a case has none, every investigator of
    its unit (any of them may start it: cases.parties._investigators)."""
    if not user.has_role(Role.INVESTIGATOR):
        return None
    condition = Q(lead_investigator=user)
    units = user.unit_ids()
    if units:
        condition |= Q(lead_investigator__isnull=True, unit_id__in=units)
    return condition


def panel_member_arm(user: User) -> Q | None:
    """The members of the case's expert panel."""
    if not user.has_role(Role.EXPERT):
        return None
    from reviews.models import ExpertPanel

    return Q(Exists(ExpertPanel.objects.filter(case=OuterRef("pk"), members=user)))


def leadership_arm(user: User) -> Q | None:
    """The leadership of the case's unit and of the units above it."""
    if not user.has_role(Role.LEADERSHIP_MEMBER, Role.LEADERSHIP_CHAIR):
        return None
    return Q(unit_id__in=user_visible_unit_ids(user))


def case_supervisor_arm(user: User) -> Q | None:
    """The designated case supervisors of the case's unit."""
    if not user.has_role(Role.CASE_SUPERVISOR):
        return None
    return Q(unit_id__in=user.unit_ids())


READER_ARMS: tuple[Callable[[User], Q | None], ...] = (
    registrar_arm,
    investigator_arm,
    panel_member_arm,
    leadership_arm,
    case_supervisor_arm,
)


def reader_condition(user: User) -> Q | None:
    """The union of the user's arms; None when the user reads no case."""
    if not user.is_authenticated or not user.is_active:
        return None
    condition = None
    for arm in READER_ARMS:
        part = arm(user)
        if part is not None:
            condition = part if condition is None else condition | part
    return condition
