"""Signal receivers: an officer's e-mail confirmation may verify them at once."""

from .models import OfficerProfile


def verify_on_email_confirmed(sender, request, email_address, **kwargs):
    from .services import verify_from_email

    profile = OfficerProfile.objects.filter(user_id=email_address.user_id).first()
    if profile is not None:
        verify_from_email(profile=profile, email=email_address.email)
