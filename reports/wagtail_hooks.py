from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import urls
from .admin.viewsets import (
    ReportsMenuItem,
    ReportsPanel,
)
from .views import VIEW


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("reports/", include(urls, namespace="reports"))]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return ReportsMenuItem(
        _("Reports"), reverse("reports:index"), name="reports", icon_name="table", order=900
    )


@hooks.register("construct_homepage_panels")
def add_reports_panel(request, panels):
    if request.user.has_perm(VIEW):
        panels.append(ReportsPanel())
