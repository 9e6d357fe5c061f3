"""Who may write and sign off the investigation report."""

import rules

from cases.rules import can_see_case, investigator


@rules.predicate
def is_lead_investigator(user, case) -> bool:
    return case is not None and case.lead_investigator_id == user.pk


rules.add_perm("investigation.edit_report", investigator & can_see_case)
rules.add_perm("investigation.sign_off_report", investigator & is_lead_investigator)
