"""Side effects of officer verification, run by the tasks framework after the transaction."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from accounts.languages import override_for


@task()
def send_verification_decision(profile_id):
    """E-mail an officer the programme lead's decision (verified or rejected, with the reason)."""
    from .models import OfficerProfile

    profile = OfficerProfile.objects.select_related("user", "agency").get(pk=profile_id)
    if profile.verification == OfficerProfile.Verification.PENDING:
        return
    context = {
        "profile": profile,
        "user": profile.user,
        "programme": settings.MUSTER_PROGRAMME_NAME,
        "profile_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("attendees:profile"),
    }
    name = profile.verification  # "verified" or "rejected"
    # In the officer's language, never that of the lead whose request queued this.
    with override_for(profile.user):
        subject = render_to_string(f"attendees/email/officer_{name}_subject.txt", context)
        body = render_to_string(f"attendees/email/officer_{name}_message.txt", context)
    send_mail(" ".join(subject.split()), body, None, [profile.user.email])
