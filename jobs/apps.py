from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """Background jobs: imports run on the task worker with their progress, the worker's lease
    and restart loop, and the sent-marker that keeps e-mail tasks from sending twice.

    A ground-floor app like audit: it imports no feature app. Feature apps register what a job
    kind does (jobs.registry) from their own AppConfig.ready()."""

    name = "jobs"
    verbose_name = _("Background jobs")
    default_auto_field = "django.db.models.BigAutoField"
