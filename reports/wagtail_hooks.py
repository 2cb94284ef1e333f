from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import figures, urls
from .views import VIEW


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("reports/", include(urls, namespace="reports"))]


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW)


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return ReportsMenuItem(
        _("Reports"), reverse("reports:index"), name="reports", icon_name="table", order=900
    )


class ReportsPanel(Component):
    """The dashboard's summary for programme leads: the latest year beside the one before."""

    name = "programme_reports"
    template_name = "reports/dashboard_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        _first, year = figures.default_years()
        table, _this = figures.comparison(year)
        keep = {"delivered", "participants", "agencies", "jurisdictions", "training_hours"}
        labels = {str(label) for key, label in figures.SCALAR_FIGURES if key in keep}
        return {
            "year": year,
            "previous_year": year - 1,
            "rows": [row for row in table.rows if str(row[0]) in labels],
        }


@hooks.register("construct_homepage_panels")
def add_reports_panel(request, panels):
    if request.user.has_perm(VIEW):
        panels.append(ReportsPanel())
