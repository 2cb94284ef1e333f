from django.urls import path

from . import views

app_name = "credentials_public"
urlpatterns = [
    path("credentials/verifier/", views.verifier, name="verifier"),
]
