"""Public URLs of the attendees app, included at the site root by muster/urls.py."""

from django.urls import path

from . import views

app_name = "attendees"
urlpatterns = [
    # Beside allauth's own pages (/accounts/...); allauth has no "profile" URL of its own.
    path("accounts/profile/", views.profile, name="profile"),
]
