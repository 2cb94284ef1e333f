from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # Wagtail's admin list exports (?export=csv|xlsx) follow muster/exports.py's rule too.
        from muster.exports import protect_wagtail_exports

        protect_wagtail_exports()

        # Confirmed history imports run on the task worker (jobs app).
        from jobs import registry

        from . import services

        registry.register("history", services.run_job)
