"""Who may see and do what with the interference register and protection
requests.

The register is confidential: it may name leaders who interfered. It is
visible to the officer who recorded an entry, to the discipline liaisons over
the entry's unit, and to the people an administrator designated to read it
(`Designation`), not to every leader and not to administrators as such.
The superuser flag grants nothing (accounts.models.User.has_perm); the views
check these rules with `allowed()` all the same. An administrator who needs to
read the register has to be designated like anyone else, and that is
audited."""

import rules

from accounts.roles import Role
from accounts.rules import has_role
from accounts.selectors import user_visible_unit_ids
from protections.models import Designation
from protections.selectors import (
    designated_unit_ids,
    officer_for,
    protection_access,
)


def allowed(user, perm: str, obj=None) -> bool:
    """Whether the rule `perm` allows the user, superuser or not."""
    return bool(user.is_authenticated and user.is_active and rules.has_perm(perm, user, obj))


@rules.predicate
def is_officer(user) -> bool:
    return user.is_authenticated and protection_access(user).is_officer


@rules.predicate
def is_liaison(user) -> bool:
    return user.is_authenticated and user.has_role(Role.DISCIPLINE_LIAISON)


@rules.predicate
def is_register_reader(user) -> bool:
    return user.is_authenticated and protection_access(user).is_reader


@rules.predicate
def is_protection_handler(user) -> bool:
    return user.is_authenticated and protection_access(user).is_handler


# --- interference entries --------------------------------------------------------------


@rules.predicate
def recorded_entry(user, entry) -> bool:
    return entry is not None and entry.recorded_by_id == user.pk


@rules.predicate
def liaison_over_entry(user, entry) -> bool:
    if entry is None or not is_liaison(user):
        return False
    if entry.unit_id in user_visible_unit_ids(user):
        return True
    return (
        bool(user.discipline_body_id) and entry.unit.discipline_body_id == user.discipline_body_id
    )


@rules.predicate
def reader_over_entry(user, entry) -> bool:
    return entry is not None and entry.unit_id in designated_unit_ids(
        user, Designation.Kind.INTERFERENCE_READER
    )


rules.add_perm("protections.browse_interference", is_officer | is_liaison | is_register_reader)
rules.add_perm("protections.record_interference", is_officer)
rules.add_perm(
    "protections.view_interference", recorded_entry | liaison_over_entry | reader_over_entry
)
rules.add_perm("protections.correct_interference", recorded_entry)
rules.add_perm("protections.link_interference", recorded_entry | reader_over_entry)
rules.add_perm("protections.export_interference", is_liaison | is_register_reader)

# --- protection requests ----------------------------------------------------------------


@rules.predicate
def filed_request(user, request) -> bool:
    if request is None:
        return False
    if request.requested_by_id == user.pk:
        return True
    officer = officer_for(user)
    return officer is not None and request.officer_id == officer.pk


@rules.predicate
def handles_request(user, request) -> bool:
    return request is not None and request.unit_id in designated_unit_ids(
        user, Designation.Kind.PROTECTION_HANDLER
    )


rules.add_perm("protections.browse_protection", is_officer | is_protection_handler)
rules.add_perm("protections.request_protection", is_officer)
rules.add_perm("protections.view_protection", filed_request | handles_request)
rules.add_perm("protections.handle_protection", handles_request)

# --- designations (Django admin): the security administrator's ----------------------------

security_administrator = has_role(Role.SECURITY_ADMINISTRATOR)
rules.add_perm("protections", security_administrator)
rules.add_perm("protections.view_designation", security_administrator)
rules.add_perm("protections.add_designation", security_administrator)
rules.add_perm("protections.delete_designation", security_administrator)
