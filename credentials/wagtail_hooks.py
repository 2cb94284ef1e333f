"""Contributions to lower apps through their hooks (DESIGN.md, inverted dependencies)."""

from wagtail import hooks

from .models import Credential


@hooks.register("muster_anonymise_user")
def anonymise_credentials(user):
    # The stored signed credential names the person: it goes. Copies the holder downloaded keep
    # verifying (the signature does not depend on our copy), and the status bit stays.
    Credential.objects.filter(certificate__officer=user).update(token="")
