"""Who may record and decide a clarification, who sees it, who may request a
no-impact certificate and who may run the personnel query.

The leadership acts for the officers of their unit and the
units below it (user_visible_unit_ids); an officer concerned sees their own
records but never decides on them."""

import rules

from accounts.roles import Role
from accounts.rules import belongs_to_a_unit, has_role
from accounts.selectors import user_visible_unit_ids
from cases.rules import can_see_case

manager = has_role(Role.LEADERSHIP_MEMBER, Role.LEADERSHIP_CHAIR)
personnel = has_role(Role.PERSONNEL)
certificate_requester = has_role(
    Role.INSPECTOR,
    Role.LEADERSHIP_MEMBER,
    Role.LEADERSHIP_CHAIR,
    Role.PERSONNEL,
)


@rules.predicate
def oversees_unit(user, unit) -> bool:
    return unit is not None and unit.pk in user_visible_unit_ids(user)


@rules.predicate
def oversees_record_unit(user, record) -> bool:
    return record is not None and record.unit_id in user_visible_unit_ids(user)


@rules.predicate
def is_officer_concerned(user, record) -> bool:
    if record is None or not user.is_authenticated:
        return False
    cached = getattr(record, "_officer_user_ids", None)
    if cached is None:
        cached = record._officer_user_ids = frozenset(
            record.officers.exclude(user=None).values_list("user_id", flat=True)
        )
    return user.pk in cached


# The list page: everyone of a unit opens it and sees what concerns them
# (a cached check, so the navigation costs no query).
rules.add_perm("vindication.browse_clarifications", belongs_to_a_unit)
rules.add_perm("vindication.add_clarification", manager & belongs_to_a_unit)
rules.add_perm("vindication.add_clarification_in_unit", manager & oversees_unit)
rules.add_perm(
    "vindication.view_clarification", (manager & oversees_record_unit) | is_officer_concerned
)
rules.add_perm(
    "vindication.manage_clarification",
    manager & oversees_record_unit & ~is_officer_concerned,
)

rules.add_perm("vindication.request_certificate", certificate_requester & can_see_case)
rules.add_perm("vindication.run_personnel_query", (manager | personnel) & belongs_to_a_unit)
