"""Who may do what with cases. Deny by default: a permission not added here is
refused to everyone but superusers."""

import rules

from accounts.roles import Role
from accounts.rules import belongs_to_a_unit, has_role, is_member_of_unit
from accounts.selectors import user_visible_unit_ids


@rules.predicate
def can_see_case(user, case) -> bool:
    return case is not None and case.unit_id in user_visible_unit_ids(user)


files_cases = has_role(Role.INSPECTOR, Role.ADMINISTRATOR)

rules.add_perm("cases.browse_cases", belongs_to_a_unit)
rules.add_perm("cases.view_case", can_see_case)
rules.add_perm("cases.add_case", files_cases & belongs_to_a_unit)
rules.add_perm("cases.add_case_in_unit", files_cases & is_member_of_unit)
