"""Who may read the catalogues: every logged-in user (the clauses are what every
role argues over)."""

import rules

rules.add_perm("exemptions.view_catalog", rules.is_authenticated)
