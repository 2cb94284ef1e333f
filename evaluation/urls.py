"""Public URLs of the evaluation app, included at the site root by muster/urls.py."""

from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("feedback/<str:reference>/", views.feedback, name="feedback"),
    path("feedback/<str:reference>/code/", views.feedback_code, name="feedback_code"),
    path(
        "sessions/<str:reference>/test/<str:kind>/",
        views.knowledge_check,
        name="knowledge_check",
    ),
]
