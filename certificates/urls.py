"""Public URLs of the certificates app, included at the site root by muster/urls.py."""

from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("certificates/<str:serial>/pdf/", views.certificate_pdf, name="pdf"),
]
