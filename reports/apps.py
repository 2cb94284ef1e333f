from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # Confirmed history imports run on the task worker (jobs app).
        from jobs import registry

        from . import services

        registry.register("history", services.run_job)
