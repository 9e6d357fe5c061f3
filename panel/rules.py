"""Who may set up the expert panel, give opinions and conclude it."""

import rules

from accounts.roles import Role
from accounts.rules import has_role
from cases.rules import can_see_case, case_office, leadership


@rules.predicate
def is_panel_member(user, case) -> bool:
    if case is None:
        return False
    panel = getattr(case, "expert_panel", None)
    return panel is not None and panel.members.filter(pk=user.pk).exists()


expert = has_role(Role.EXPERT)

rules.add_perm("panel.set_up_panel", (case_office | leadership) & can_see_case)
rules.add_perm("panel.give_expert_opinion", expert & is_panel_member)
rules.add_perm("panel.conclude_panel", expert & is_panel_member)
