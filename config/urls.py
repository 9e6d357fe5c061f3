from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from accounts import second_factor_views
from accounts import views as account_views
from cases.views.notifications import (
    notification_list,
    notification_read,
    notification_settings,
    notifications_mark_read,
)

urlpatterns = [
    path("", account_views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/second-factor/",
        second_factor_views.second_factor_verify,
        name="second_factor_verify",
    ),
    path(
        "accounts/second-factor/enrol/",
        second_factor_views.second_factor_enrol,
        name="second_factor_enrol",
    ),
    path(
        "accounts/second-factor/enrol/qr.svg",
        second_factor_views.second_factor_qr,
        name="second_factor_qr",
    ),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("notifications/", notification_list, name="notifications"),
    path("notifications/read/", notifications_mark_read, name="notifications_mark_read"),
    path("notifications/<int:notification_id>/read/", notification_read, name="notification_read"),
    path("notifications/settings/", notification_settings, name="notification_settings"),
    path("filings/", include("filing.inbox_urls")),
    path("cases/", include("cases.urls")),
    path("cases/", include("investigation.urls")),
    path("cases/", include("panel.urls")),
    path("cases/", include("deliberation.urls")),
    path("cases/", include("filing.urls")),
    path("catalogs/", include("exemptions.urls")),
    path("protections/", include("protections.urls")),
    path("vindication/", include("vindication.urls")),
    path("overview/", include("overview.urls")),
    path("public/", include("filing.public_urls")),
    path("admin/", admin.site.urls),
]

# A body over the upload cap (accounts.uploads) is answered 413 with a message.
handler400 = "accounts.views.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
