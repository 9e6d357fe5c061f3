from django.urls import path

from overview import views

app_name = "overview"

urlpatterns = [
    path("", views.overview_index, name="index"),
    path("export.xlsx", views.overview_export_view, name="export"),
]
