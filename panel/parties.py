"""The parties the expert review waits on (cases.parties): who organises the
panel, the members who owe an opinion, those who conclude, and the
investigators who submit once the panel has concluded. Registered into
cases.parties.PARTIES by PanelConfig.ready()."""

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from cases.parties import Party, _investigator_arms, _investigators
from panel.models import DisputedClause, ExpertOpinion, ExpertPanel


def _panel(case):
    return ExpertPanel.objects.filter(case=case).first()


def _panel_exists(**filters):
    return Exists(ExpertPanel.objects.filter(case=OuterRef("pk"), **filters))


def _organiser_users(case) -> list[User]:
    return [] if _panel(case) is not None else [case.created_by]


def _organiser_arms(user, cases) -> list[QuerySet]:
    return [cases.filter(created_by=user).exclude(_panel_exists()).values("pk")]


def _owes_opinion(panel_ref, member_ref):
    """A disputed clause of the panel on which the member has given no
    opinion yet; member_ref reaches the member from inside the opinion
    subquery (two levels down: OuterRef(OuterRef(...))) or is a user."""
    return Exists(
        DisputedClause.objects.filter(panel=panel_ref).exclude(
            Exists(ExpertOpinion.objects.filter(disputed_clause=OuterRef("pk"), member=member_ref))
        )
    )


def _open_panel_seats(user, cases):
    return ExpertPanel.members.through.objects.filter(
        user=user,
        expertpanel__concluded_at__isnull=True,
        expertpanel__case__in=cases.values("pk"),
    ).order_by()


def _panel_member_users(case) -> list[User]:
    """The members who still owe an opinion: each drops out once theirs are
    all given."""
    panel = _panel(case)
    if panel is None or panel.concluded_at is not None:
        return []
    return list(panel.members.filter(_owes_opinion(panel, OuterRef(OuterRef("pk")))))


def _panel_member_arms(user, cases) -> list[QuerySet]:
    return [
        _open_panel_seats(user, cases)
        .filter(_owes_opinion(OuterRef("expertpanel"), user))
        .values("expertpanel__case_id")
    ]


def _panel_concluder_users(case) -> list[User]:
    """Once every opinion is given: the members, one of whom issues the
    panel's written opinion."""
    panel = _panel(case)
    if panel is None or panel.concluded_at is not None:
        return []
    if panel.members.filter(_owes_opinion(panel, OuterRef(OuterRef("pk")))).exists():
        return []
    return list(panel.members.all())


def _panel_concluder_arms(user, cases) -> list[QuerySet]:
    anyone_owes = Exists(
        ExpertPanel.members.through.objects.filter(expertpanel=OuterRef("expertpanel")).filter(
            _owes_opinion(OuterRef("expertpanel"), OuterRef(OuterRef("user")))
        )
    )
    return [_open_panel_seats(user, cases).exclude(anyone_owes).values("expertpanel__case_id")]


def _submitter_users(case) -> list[User]:
    panel = _panel(case)
    if panel is None or panel.concluded_at is None:
        return []
    return _investigators(case)


def _submitter_arms(user, cases) -> list[QuerySet]:
    return _investigator_arms(user, cases.filter(_panel_exists(concluded_at__isnull=False)))


PARTIES = (
    Party(
        "panel_organiser",
        _("专家组组建前：登记案件的承办人员"),
        (Role.INSPECTOR,),
        _organiser_users,
        _organiser_arms,
    ),
    Party(
        "panel_members",
        _("专家组组建后：尚未发表意见的专家"),
        (Role.EXPERT,),
        _panel_member_users,
        _panel_member_arms,
    ),
    Party(
        "panel_concluders",
        _("专家意见齐备、出具书面意见前：专家组成员"),
        (Role.EXPERT,),
        _panel_concluder_users,
        _panel_concluder_arms,
    ),
    Party(
        "submitting_investigators",
        _("专家组出具书面意见后：调查组（尚未指派的，本单位全体调查人员）"),
        (Role.INVESTIGATOR,),
        _submitter_users,
        _submitter_arms,
    ),
)
