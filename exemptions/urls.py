from django.urls import path

from exemptions import views

app_name = "exemptions"

urlpatterns = [
    path("", views.catalog_index, name="index"),
    path("<slug:slug>/", views.catalog_detail, name="catalog"),
    path("<slug:slug>/v<int:number>/", views.catalog_detail, name="catalog_version"),
    path("<slug:slug>/clauses/<str:ref>/", views.clause_detail_view, name="clause"),
    path(
        "<slug:slug>/v<int:number>/clauses/<str:ref>/",
        views.clause_detail_view,
        name="clause_version",
    ),
]
