"""Pages anyone may read without logging in (published notices)."""

from django.urls import path  # noqa: F401

app_name = "public"

urlpatterns: list = []
