from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingSessionsConfig(AppConfig):
    # Django's own django.contrib.sessions owns the label "sessions".
    name = "sessions"
    label = "training_sessions"
    verbose_name = _("Training sessions")

    def ready(self):
        # Registered before anything asks Wagtail for the model's policy (it would otherwise
        # create a fallback one that knows nothing of trainers).
        from wagtail.permissions import register_permission_policy

        from .models import TrainingSession
        from .permissions import session_permission_policy

        register_permission_policy(TrainingSession, session_permission_policy)

        # Confirmed roster imports run on the task worker (jobs app).
        from jobs import registry

        from . import imports

        registry.register("roster", imports.run_job)
