"""What the navigation shows depends on the user's roles."""

from django.conf import settings

from accounts.roles import Role


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"site_title": settings.SITE_TITLE}
    return {
        "site_title": settings.SITE_TITLE,
        "nav": {
            "cases": user.has_perm("cases.browse_cases"),
            "new_case": user.has_perm("cases.add_case"),
            "admin": user.is_staff,
            "filings": user.has_perm("reviews.browse_filings"),
            "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
        },
        "user_roles": [Role(code).label for code in sorted(user.role_codes())],
    }
