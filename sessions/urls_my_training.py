"""The My training page, kept apart from sessions/urls.py so both can change independently."""

from django.urls import path

from . import my_training

app_name = "my_training"
urlpatterns = [
    path("my-training/", my_training.my_training, name="index"),
]
