"""The reports app's Wagtail admin: viewsets, their views, filters and forms.

Registered in reports/wagtail_hooks.py, which keeps only the hook registrations (bakerydemo style).
"""

from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from .. import figures
from ..views import VIEW


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW)


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
