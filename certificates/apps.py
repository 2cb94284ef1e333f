from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        # Connects issue_on_delivery to session_delivered (automatic issuing, off by default).
        from . import signals  # noqa: F401
