from django.urls import path

from panel import views

app_name = "panel"

urlpatterns = [
    path("<int:pk>/expert/", views.expert, name="expert"),
    path(
        "<int:pk>/expert/opinions/<int:disputed_id>/",
        views.expert_opinion,
        name="expert_opinion",
    ),
    path("<int:pk>/expert/conclude/", views.expert_conclude, name="expert_conclude"),
]
