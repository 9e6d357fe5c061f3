"""Who may see the overview: the leadership (not the administrative roles,
which read no case content), each for the
units they oversee (their own and every unit below; see
accounts.selectors.user_visible_unit_ids)."""

import rules

from accounts.roles import Role
from accounts.rules import belongs_to_a_unit, has_role

oversees_units = has_role(Role.LEADERSHIP_MEMBER, Role.LEADERSHIP_CHAIR) & belongs_to_a_unit

rules.add_perm("overview.view_overview", oversees_units)
