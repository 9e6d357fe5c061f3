from django.urls import path

from investigation import views

app_name = "investigation"

urlpatterns = [
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/report/sign-off/", views.report_sign_off_view, name="report_sign_off"),
]
