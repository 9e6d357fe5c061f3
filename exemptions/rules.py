"""Who may read the catalogues: every logged-in user (the clauses are what every
role argues over). Who may change them (exemptions.lifecycle): a system
administrator uploads, another system administrator approves — the service
refuses the uploader as reviewer (four eyes)."""

import rules

from accounts.rules import is_administrator

rules.add_perm("exemptions.view_catalog", rules.is_authenticated)
rules.add_perm("exemptions.propose_catalog_change", is_administrator)
rules.add_perm("exemptions.approve_catalog_change", is_administrator)
