"""What the navigation shows depends on the user's roles. It lives in the
project's config, above the apps whose pages it links and counts, so that
`accounts` does not reach up to them."""

from functools import cached_property

from django.conf import settings

from accounts.roles import Role
from cases.selectors import cases_waiting_on_count
from protections.rules import allowed


class Navigation:
    """The navigation's items and counts, each worked out when a template
    first reads it and kept for the request: full pages read them all, while
    htmx fragments and polled partials, which render without the bar, run
    none of their queries."""

    def __init__(self, user) -> None:
        self.user = user

    def __getitem__(self, name: str):
        """nav["tasks"] as well as nav.tasks."""
        if name.startswith("_") or name == "user":
            raise KeyError(name)
        try:
            return getattr(self, name)
        except AttributeError:
            raise KeyError(name) from None

    @cached_property
    def cases(self) -> bool:
        return self.user.has_perm("cases.browse_cases")

    @cached_property
    def new_case(self) -> bool:
        return self.user.has_perm("cases.add_case")

    @cached_property
    def admin(self) -> bool:
        return self.user.is_staff

    @cached_property
    def catalog_changes(self) -> bool:
        return self.user.has_perm("exemptions.propose_catalog_change")

    @cached_property
    def filings(self) -> bool:
        return self.user.has_perm("filing.browse_filings")

    @cached_property
    def overview(self) -> bool:
        return self.user.has_perm("overview.view_overview")

    @cached_property
    def clarifications(self) -> bool:
        return self.user.has_perm("vindication.browse_clarifications")

    @cached_property
    def personnel_query(self) -> bool:
        return self.user.has_perm("vindication.run_personnel_query")

    @cached_property
    def interference(self) -> bool:
        return allowed(self.user, "protections.browse_interference")

    @cached_property
    def protection_requests(self) -> bool:
        return allowed(self.user, "protections.browse_protection")

    @cached_property
    def unread_notifications(self) -> int:
        return self.user.notifications.filter(read_at__isnull=True).count()

    @cached_property
    def tasks(self) -> int:
        return cases_waiting_on_count(self.user)


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"site_title": settings.SITE_TITLE}
    return {
        "site_title": settings.SITE_TITLE,
        "nav": Navigation(user),
        "user_roles": [Role(code).label for code in sorted(user.role_codes())],
    }
