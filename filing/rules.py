"""Who may browse, download and acknowledge the filing packages."""

import rules

from accounts.roles import Role
from accounts.rules import has_role
from cases.rules import can_see_case, case_office, leadership


@rules.predicate
def is_liaison_of_package_body(user, package) -> bool:
    return (
        package is not None
        and user.is_authenticated
        and user.has_role(Role.DISCIPLINE_LIAISON)
        and user.discipline_body_id == package.discipline_body_id
    )


@rules.predicate
def works_on_package_case(user, package) -> bool:
    return (
        package is not None
        and (case_office | leadership)(user)
        and can_see_case(user, package.case)
    )


rules.add_perm("filing.browse_filings", has_role(Role.DISCIPLINE_LIAISON))
rules.add_perm("filing.download_filing", is_liaison_of_package_body | works_on_package_case)
rules.add_perm("filing.acknowledge_filing", is_liaison_of_package_body)
