"""/api/v1/: unprefixed by language (a programme tool's address must not move)."""

from django.urls import path

from .v1 import api

urlpatterns = [path("api/v1/", api.urls)]
