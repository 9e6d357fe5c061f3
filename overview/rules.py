"""Who may see the overview: the leadership and administrators, each for the
units they oversee (their own and every unit below; see
accounts.selectors.user_visible_unit_ids)."""

import rules

from accounts.roles import Role
from accounts.rules import belongs_to_a_unit, has_role

oversees_units = (
    has_role(Role.LEADERSHIP_MEMBER, Role.LEADERSHIP_CHAIR, Role.ADMINISTRATOR) & belongs_to_a_unit
)

rules.add_perm("overview.view_overview", oversees_units)
