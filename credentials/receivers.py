"""The certificates app sends its signals inside the issuing or revoking transaction; these
receivers write the credential and the status list in that same transaction."""

from django.dispatch import receiver

from certificates.signals import certificate_ended, certificate_issued


@receiver(certificate_issued)
def sign_on_issue(sender, certificate, **kwargs):
    from . import services

    services.issue_credential(certificate=certificate)


@receiver(certificate_ended)
def flip_status_bit(sender, certificate, **kwargs):
    from . import services

    services.end_credential(certificate=certificate)
