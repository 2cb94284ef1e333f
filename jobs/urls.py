from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("imports/<uuid:job_id>/", views.job_detail, name="detail"),
    path("imports/<uuid:job_id>/progress.json", views.job_progress, name="progress"),
]
