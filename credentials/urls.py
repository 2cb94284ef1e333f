"""Addresses that are published or printed, so without a language prefix (muster/urls.py):
the DID document, the status list and the credential downloads. The verifier page is public
and under the language prefix (urls_i18n.py)."""

from django.urls import path

from . import views

app_name = "credentials"
urlpatterns = [
    path(".well-known/did.json", views.did_json, name="did"),
    path("credentials/status/revocation", views.status_list, name="status_list"),
    path(
        "certificates/<str:serial>/credential.jwt",
        views.download,
        {"fmt": "jwt"},
        name="download_jwt",
    ),
    path(
        "certificates/<str:serial>/credential.json",
        views.download,
        {"fmt": "json"},
        name="download_json",
    ),
]
