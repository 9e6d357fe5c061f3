"""Who may convene the collective decision, propose, vote and close it."""

import rules

from cases.rules import can_see_case, case_office, chair, leadership

rules.add_perm("deliberation.convene_meeting", leadership & can_see_case)
rules.add_perm("deliberation.propose_determination", (case_office | leadership) & can_see_case)
rules.add_perm("deliberation.vote", leadership & can_see_case)
rules.add_perm("deliberation.close_vote", chair & can_see_case)


@rules.predicate
def is_member_or_announced(user, meeting) -> bool:
    """A meeting's live tally is its members' until the result is announced
    (need-to-know: no one else watches each leader's position as it comes)."""
    if meeting is None or not user.is_authenticated:
        return False
    if not meeting.is_open:
        return True
    return any(m.user_id == user.pk for m in meeting.members.all())


rules.add_perm("deliberation.watch_live_tally", is_member_or_announced)
