from django.urls import path

from exemptions import views

app_name = "exemptions"

urlpatterns = [
    path("", views.catalog_index, name="index"),
    # Before "<slug>/": "changes" is not a regulation.
    path("changes/", views.catalog_change_list, name="changes"),
    path("changes/new/", views.catalog_change_create, name="change_create"),
    path("changes/<int:pk>/", views.catalog_change_detail, name="change"),
    path(
        "changes/<int:pk>/<str:decision>/",
        views.catalog_change_review,
        name="change_review",
    ),
    path("<slug:slug>/", views.catalog_detail, name="catalog"),
    path("<slug:slug>/v<int:number>/", views.catalog_detail, name="catalog_version"),
    path("<slug:slug>/clauses/<str:ref>/", views.clause_detail_view, name="clause"),
    path(
        "<slug:slug>/v<int:number>/clauses/<str:ref>/",
        views.clause_detail_view,
        name="clause_version",
    ),
]
