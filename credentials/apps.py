from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "credentials"
    verbose_name = _("Verifiable credentials")

    def ready(self):
        # Connects the certificate signals: a credential is signed when a certificate is issued
        # and its status bit set when it is revoked or superseded, in the same transaction.
        from . import receivers  # noqa: F401
