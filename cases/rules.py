"""Who may do what with cases. Deny by default: a permission not added here is
refused to everyone, superusers included (the flag grants nothing: see
accounts.models.User.has_perm). A role says what a user may do; reading the
case says on which cases, and reading is need-to-know (docs/access.md): the
case's participants only (cases.readers). The administrative roles, the
personnel role and the discipline liaison read no case here (the liaison reads
filed packages, the personnel role the personnel query)."""

import rules

from accounts.roles import Role
from accounts.rules import belongs_to_a_unit, has_role, is_member_of_unit
from cases.readers import reader_condition, reads_without_query


@rules.predicate
def can_see_case(user, case) -> bool:
    """Whether the user is a participant of the case: the reader arms of
    cases.readers, evaluated on this one case in the database (the very
    condition the lists use), unless an arm already answers yes from the
    loaded case. Cached on the user for the request, keyed by
    the case's fields that decide it, so that a reassignment seen on a fresh
    case object is not answered from the cache."""
    if case is None or case.pk is None:
        return False
    condition = reader_condition(user)
    if condition is None:
        return False
    if reads_without_query(user, case):
        return True
    cache = user.__dict__.setdefault("_readable_cases", {})
    key = (case.pk, case.unit_id, case.created_by_id, case.lead_investigator_id)
    if key not in cache:
        from cases.models import Case

        cache[key] = Case.objects.filter(condition, pk=case.pk).exists()
    return cache[key]


@rules.predicate
def works_in_case_unit(user, case) -> bool:
    return case is not None and case.unit_id in user.unit_ids()


@rules.predicate
def registered_it_where_unit_allows(user, case) -> bool:
    """The registering inspector, where the unit lets inspectors assign."""
    return case is not None and case.created_by_id == user.pk and case.unit.inspector_may_assign


inspector = has_role(Role.INSPECTOR)
case_supervisor = has_role(Role.CASE_SUPERVISOR)
investigator = has_role(Role.INVESTIGATOR)
leadership = has_role(Role.LEADERSHIP_MEMBER, Role.LEADERSHIP_CHAIR)
chair = has_role(Role.LEADERSHIP_CHAIR)
# Those who work a case in the office (the panel, proposals, packages, transfers).
case_office = has_role(Role.INSPECTOR, Role.INVESTIGATOR)

rules.add_perm("cases.browse_cases", belongs_to_a_unit)
rules.add_perm("cases.view_case", can_see_case)
rules.add_perm("cases.add_case", inspector & belongs_to_a_unit)
rules.add_perm("cases.add_case_in_unit", inspector & is_member_of_unit)

# Intake and registration: the inspectors of the case's own unit.
rules.add_perm("cases.edit_intake", inspector & works_in_case_unit)
rules.add_perm("cases.register_case", inspector & works_in_case_unit)
rules.add_perm("cases.upload_evidence", (inspector | investigator) & can_see_case)
rules.add_perm("cases.view_evidence", can_see_case)
rules.add_perm("cases.withdraw_case", (inspector | chair) & can_see_case)
# Which regulation applies is a legal judgement on the case: the unit's head
# makes it (no administrative role reads cases).
rules.add_perm("cases.change_regulation", chair & can_see_case)

# Assignment of the investigation team (issue 15): the unit's case
# supervisor, or the registering inspector where the unit allows it.
rules.add_perm(
    "cases.assign_team",
    works_in_case_unit & (case_supervisor | (inspector & registered_it_where_unit_allows)),
)

# Investigation.
rules.add_perm("cases.start_investigation", investigator & can_see_case)
rules.add_perm("cases.record_findings", investigator & can_see_case)
rules.add_perm(
    "cases.request_expert_review", (investigator | inspector | leadership) & can_see_case
)
rules.add_perm("cases.submit_for_deliberation", investigator & can_see_case)

# Deliberation and after.
rules.add_perm("cases.record_deliberation_facts", leadership & can_see_case)
rules.add_perm("cases.decide_case", chair & can_see_case)
rules.add_perm("cases.file_case", inspector & can_see_case)
rules.add_perm("cases.publish_case", inspector & can_see_case)
rules.add_perm("cases.close_case", (inspector | chair) & can_see_case)
