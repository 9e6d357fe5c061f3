"""Who may act in the investigation, the expert review and the collective
decision."""

import rules

from accounts.roles import Role
from accounts.rules import has_role
from cases.rules import can_see_case, chair, investigator, leadership


@rules.predicate
def is_lead_investigator(user, case) -> bool:
    return case is not None and case.lead_investigator_id == user.pk


@rules.predicate
def is_panel_member(user, case) -> bool:
    if case is None:
        return False
    panel = getattr(case, "expert_panel", None)
    return panel is not None and panel.members.filter(pk=user.pk).exists()


expert = has_role(Role.EXPERT)
case_office = has_role(Role.INSPECTOR, Role.INVESTIGATOR)

rules.add_perm("reviews.edit_report", investigator & can_see_case)
rules.add_perm("reviews.sign_off_report", investigator & is_lead_investigator)
rules.add_perm("reviews.set_up_panel", (case_office | leadership) & can_see_case)
rules.add_perm("reviews.give_expert_opinion", expert & is_panel_member)
rules.add_perm("reviews.conclude_panel", expert & is_panel_member)
rules.add_perm("reviews.convene_meeting", leadership & can_see_case)
rules.add_perm("reviews.propose_determination", (case_office | leadership) & can_see_case)
rules.add_perm("reviews.vote", leadership & can_see_case)
rules.add_perm("reviews.close_vote", chair & can_see_case)


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


rules.add_perm("reviews.browse_filings", has_role(Role.DISCIPLINE_LIAISON))
rules.add_perm("reviews.download_filing", is_liaison_of_package_body | works_on_package_case)
rules.add_perm("reviews.acknowledge_filing", is_liaison_of_package_body)


@rules.predicate
def is_member_or_announced(user, meeting) -> bool:
    """A meeting's live tally is its members' until the result is announced
    (need-to-know: no one else watches each leader's position as it comes)."""
    if meeting is None or not user.is_authenticated:
        return False
    if not meeting.is_open:
        return True
    return any(m.user_id == user.pk for m in meeting.members.all())


rules.add_perm("reviews.watch_live_tally", is_member_or_announced)
