"""Public URLs of the courses app, included at the site root by muster/urls.py."""

from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path(
        "courses/materials/<int:pk>/download/",
        views.download_material,
        name="material_download",
    ),
]
