"""Read queries about people and units."""

from collections import defaultdict

from accounts.models import Officer, Unit, User
from accounts.roles import ROLES_SEEING_SUBUNITS


def unit_descendant_ids(unit_ids: set[int]) -> set[int]:
    """The given units and every unit below them. Units are few (a bureau has
    tens), so one query for the whole tree beats a recursive CTE."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for unit_id, parent_id in Unit.objects.values_list("id", "parent_id"):
        children[parent_id].append(unit_id)
    result: set[int] = set()
    stack = list(unit_ids)
    while stack:
        current = stack.pop()
        if current in result:
            continue
        result.add(current)
        stack.extend(children.get(current, ()))
    return result


def user_visible_unit_ids(user: User) -> frozenset[int]:
    """The units whose cases the user may see: the units they belong to, and
    for overseeing roles also every unit below those. Cached on the user.
    The administrative roles see no unit's cases (三员分立)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_visible_unit_ids", None)
    if cached is not None:
        return cached
    own = set(user.unit_ids())
    # The superuser flag grants nothing here: scoping is by units and roles only.
    if own and user.has_role(*ROLES_SEEING_SUBUNITS):
        visible = frozenset(unit_descendant_ids(own))
    else:
        visible = frozenset(own)
    user._visible_unit_ids = visible
    return visible


def user_creatable_units(user: User):
    """Units in which the user may open a case: the units they belong to."""
    return Unit.objects.filter(members=user).order_by("name")


def officers_of_units(unit_ids):
    return Officer.objects.filter(unit_id__in=unit_ids, is_active=True).select_related("unit")
