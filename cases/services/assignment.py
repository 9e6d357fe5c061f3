"""Assigning the investigation team of a case: a lead and members, from the
investigators of the case's unit, by the unit's case supervisor (or the
registering inspector where the unit allows it), at or after registration.
The panel is formed from the unit's expert pool (panel.services)
and the meeting from its leadership roster (deliberation.services)."""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEventType
from audit.services import audit_record
from cases import errors
from cases.extensions import case_fact
from cases.models import Case
from cases.services.notices import handoff_notify
from cases.services.transitions import lock_case
from cases.workflow import CaseState

ASSIGN_TEAM = "cases.assign_team"
# The team may be assigned or changed from registration until the report is
# signed off (the lead signs it).
ASSIGNABLE_STATES = (CaseState.REGISTERED, CaseState.INVESTIGATING)


def investigator_pool(case: Case) -> QuerySet[User]:
    """The investigators of the case's unit: whom the team is chosen from."""
    return (
        User.objects.filter(units=case.unit_id, groups__name=Role.INVESTIGATOR, is_active=True)
        .distinct()
        .order_by("display_name", "username")
    )


def team_assign_refusal(actor: User, case: Case) -> str | None:
    """Why the actor may not assign the team now, or None (the page asks it
    to decide whether to offer the form; team_assign asks it again)."""
    if not actor.has_perm(ASSIGN_TEAM, case):
        return str(errors.MAY_NOT_ASSIGN_TEAM)
    if case.state not in ASSIGNABLE_STATES:
        return str(errors.TEAM_NOT_ASSIGNABLE_IN_STATE)
    if case_fact("report_signed_off", case):
        return str(errors.TEAM_FIXED_AFTER_REPORT)
    return None


def team_assign(*, actor: User, case: Case, lead: User, members: Sequence[User] = ()) -> Case:
    """Set the case's investigation team: the lead (who signs the report) and
    the members, all investigators of the case's unit. Audited; the team is
    told. Raises PermissionDenied or ValidationError and changes nothing."""
    if not actor.has_perm(ASSIGN_TEAM, case):
        raise PermissionDenied(team_assign_refusal(actor, case))
    if lead is None:
        raise ValidationError({"lead": errors.NO_LEAD_INVESTIGATOR})
    members = [m for m in dict.fromkeys(members) if m.pk != lead.pk]
    pool = set(investigator_pool(case).values_list("pk", flat=True))
    outside = [u.get_full_name() for u in (lead, *members) if u.pk not in pool]
    if outside:
        raise ValidationError(
            {"members": errors.NOT_UNIT_INVESTIGATORS % {"names": "、".join(outside)}}
        )
    with transaction.atomic():
        case = lock_case(case.pk)
        refusal = team_assign_refusal(actor, case)
        if refusal:
            raise ValidationError(refusal)
        before = {
            "lead": case.lead_investigator_id,
            "members": sorted(case.investigation_team.values_list("pk", flat=True)),
        }
        case.lead_investigator = lead
        case.save(update_fields=["lead_investigator"])
        case.investigation_team.set(members)
        names = "、".join(m.get_full_name() for m in members) or _("无")
        audit_record(
            event_type=AuditEventType.TEAM_ASSIGNED,
            actor=actor,
            case=case,
            obj=case,
            summary=_("指派调查组：组长%(lead)s，成员%(members)s")
            % {"lead": lead.get_full_name(), "members": names},
            data={
                "lead": lead.pk,
                "members": [m.pk for m in members],
                "before": before,
            },
        )
        handoff_notify("team_assigned", case=case, actor=actor)
    return case
