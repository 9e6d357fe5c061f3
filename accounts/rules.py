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
is_security_administrator = has_role(Role.SECURITY_ADMINISTRATOR)
is_audit_administrator = has_role(Role.AUDIT_ADMINISTRATOR)

# --- the Django admin, by administrative role (三员分立) ---------------------------------
# The superuser flag grants nothing (accounts.models.User.has_perm), so these
# rules are the whole of what the admin lets anyone do. None of them opens
# case content: the read-only admins of cases, notifications, the registers
# and clarifications have no rule and stay closed.

# The system administrator: units, discipline bodies, officers, accounts
# (create, edit, disable — never delete: the audit trail points at them),
# stage deadlines and the working calendar's overrides, meeting rules, and
# the catalogues (read-only).
SYSTEM_ADMINISTRATION = {
    "accounts": ("unit", "disciplinebody", "officer"),
    "cases": ("stagedeadline", "calendaroverride"),
    "deliberation": ("decisionrules",),
    # Each unit's 机关代字 per kind of document it issues, and its seal image.
    "documents": ("documentseries", "unitseal"),
}
for app_label, models in SYSTEM_ADMINISTRATION.items():
    if app_label != "accounts":
        rules.add_perm(app_label, is_administrator)
    for model in models:
        for action in ("view", "add", "change", "delete"):
            rules.add_perm(f"{app_label}.{action}_{model}", is_administrator)
# Both keep accounts: the system administrator their fields, the security
# administrator their roles (accounts.admin.UserAdmin shows each their part).
rules.add_perm("accounts", is_administrator | is_security_administrator)
rules.add_perm("accounts.view_user", is_administrator | is_security_administrator)
rules.add_perm("accounts.change_user", is_administrator | is_security_administrator)
rules.add_perm("accounts.add_user", is_administrator)
# The register of numbers issued (发文登记簿): numbers, titles and case
# numbers, no case content; the numbers themselves are never edited.
rules.add_perm("documents.view_registerentry", is_administrator)
rules.add_perm("exemptions", is_administrator)
for model in ("fact", "regulation", "regulationversion", "article", "clause"):
    rules.add_perm(f"exemptions.view_{model}", is_administrator)

# The security administrator: role assignments on accounts (see
# accounts.admin.UserAdmin for the fields), designations (protections.rules),
# lockouts and unlocks.
rules.add_perm("accounts.assign_roles", is_security_administrator)
rules.add_perm("accounts.unlock_account", is_security_administrator)
rules.add_perm("accounts.reset_second_factor", is_security_administrator)
rules.add_perm("axes", is_security_administrator | is_audit_administrator)
rules.add_perm("axes.view_accessattempt", is_security_administrator | is_audit_administrator)
rules.add_perm("axes.view_accessfailurelog", is_security_administrator | is_audit_administrator)
rules.add_perm("axes.view_accesslog", is_audit_administrator)

# The audit administrator: reads the audit trail and verifies it, nothing else.
rules.add_perm("audit", is_audit_administrator)
rules.add_perm("audit.view_auditevent", is_audit_administrator)
rules.add_perm("audit.verify_chain", is_audit_administrator)
