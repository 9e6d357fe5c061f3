"""What the navigation shows depends on the user's roles."""

from django.conf import settings

from accounts.roles import Role


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"site_title": settings.SITE_TITLE}
    # Imported here: accounts sits below cases, only the navigation needs it.
    from cases.selectors import cases_waiting_on_count
    from protections.rules import allowed as protections_allowed

    return {
        "site_title": settings.SITE_TITLE,
        "nav": {
            "cases": user.has_perm("cases.browse_cases"),
            "new_case": user.has_perm("cases.add_case"),
            "admin": user.is_staff,
            "filings": user.has_perm("reviews.browse_filings"),
            "overview": user.has_perm("overview.view_overview"),
            "clarifications": user.has_perm("vindication.browse_clarifications"),
            "personnel_query": user.has_perm("vindication.run_personnel_query"),
            "interference": protections_allowed(user, "protections.browse_interference"),
            "protection_requests": protections_allowed(user, "protections.browse_protection"),
            "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
            "tasks": cases_waiting_on_count(user),
        },
        "user_roles": [Role(code).label for code in sorted(user.role_codes())],
    }
