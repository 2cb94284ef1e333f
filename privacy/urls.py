from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("accounts/profile/personal-data/", views.download, name="download"),
    path("accounts/profile/erase/", views.request_erasure, name="request_erasure"),
]
