"""Object rules shared by every app: roles and unit membership."""

import rules

from accounts.roles import Role


def has_role(*roles: str):
    """A predicate true when the user holds any of the given roles."""

    @rules.predicate(name=f"has_role:{'|'.join(roles)}")
    def predicate(user) -> bool:
        return user.is_authenticated and user.has_role(*roles)

    return predicate


@rules.predicate
def belongs_to_a_unit(user) -> bool:
    return user.is_authenticated and bool(user.unit_ids())


@rules.predicate
def is_member_of_unit(user, unit) -> bool:
    return unit is not None and user.is_authenticated and unit.pk in user.unit_ids()


is_administrator = has_role(Role.ADMINISTRATOR)
