"""Public URLs of the sessions app, included at the site root by muster/urls.py."""

from django.urls import path  # noqa: F401

app_name = "training_sessions"
urlpatterns = []
