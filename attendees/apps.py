from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendeesConfig(AppConfig):
    name = "attendees"
    verbose_name = _("Agencies and officers")

    def ready(self):
        from allauth.account.signals import email_confirmed

        from .signals import verify_on_email_confirmed

        email_confirmed.connect(verify_on_email_confirmed, dispatch_uid="attendees.verify_on_email")
