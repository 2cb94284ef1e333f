"""Public URLs of the sessions app, included at the site root by muster/urls.py."""

from django.urls import path

from . import views

app_name = "training_sessions"
urlpatterns = [
    path("sessions/<str:reference>/", views.session_detail, name="detail"),
]
