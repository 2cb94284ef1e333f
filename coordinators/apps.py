from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinatorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "coordinators"
    verbose_name = _("Agency coordinators")

    def ready(self):
        from django.db.models.signals import post_save

        from attendees.models import OfficerProfile

        from . import signals

        post_save.connect(
            signals.officer_profile_saved,
            sender=OfficerProfile,
            dispatch_uid="coordinators_officer_profile_saved",
        )
