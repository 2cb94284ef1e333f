"""The coordinator's pages and the nominee's answer (public site, under the language prefix)."""

from django.urls import path

from . import views

app_name = "coordinators"
urlpatterns = [
    path("coordinator/", views.index, name="index"),
    path("coordinator/officers/<int:officer_id>/", views.officer, name="officer"),
    path("coordinator/export.<str:fmt>", views.export, name="export"),
    path("coordinator/sessions/<str:reference>/nominate/", views.nominate, name="nominate"),
    path("nominations/<int:pk>/", views.respond, name="respond"),
]
