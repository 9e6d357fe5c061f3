"""Who may do what with cases. Deny by default: a permission not added here is
refused to everyone but superusers. A role says what a user may do; seeing the
case (its unit) says on which cases."""

import rules

from accounts.roles import Role
from accounts.rules import belongs_to_a_unit, has_role, is_member_of_unit
from accounts.selectors import user_visible_unit_ids


@rules.predicate
def can_see_case(user, case) -> bool:
    return case is not None and case.unit_id in user_visible_unit_ids(user)


@rules.predicate
def works_in_case_unit(user, case) -> bool:
    return case is not None and case.unit_id in user.unit_ids()


inspector = has_role(Role.INSPECTOR, Role.ADMINISTRATOR)
investigator = has_role(Role.INVESTIGATOR, Role.ADMINISTRATOR)
leadership = has_role(Role.LEADERSHIP_MEMBER, Role.LEADERSHIP_CHAIR)
chair = has_role(Role.LEADERSHIP_CHAIR)
administrator = has_role(Role.ADMINISTRATOR)

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
rules.add_perm("cases.change_regulation", administrator & can_see_case)

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
