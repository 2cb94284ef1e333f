"""Admin URLs of the Reports section, mounted under /admin/reports/ by wagtail_hooks.py."""

from django.urls import path, re_path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("chart.svg", views.chart, name="chart"),
    re_path(r"^export/(?P<key>[a-z_]+)\.(?P<fmt>csv|xlsx)$", views.export, name="export"),
    path("import/", views.import_history_view, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
]
