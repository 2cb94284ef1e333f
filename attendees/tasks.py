"""Side effects of officer verification, run by the tasks framework after the transaction."""

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from accounts.languages import email_for
from jobs.mail import send_once, task_key


@task(takes_context=True)
def send_verification_decision(context, profile_id):
    """E-mail an officer the programme lead's decision (verified or rejected, with the reason),
    once per enqueue even if the task runs again (jobs.mail.send_once)."""
    from .models import OfficerProfile

    profile = OfficerProfile.objects.select_related("user", "agency").get(pk=profile_id)
    if profile.verification == OfficerProfile.Verification.PENDING:
        return False
    mail_context = {
        "profile": profile,
        "user": profile.user,
        "programme": settings.MUSTER_PROGRAMME_NAME,
        "profile_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("attendees:profile"),
    }
    name = profile.verification  # "verified" or "rejected"
    # In the officer's language, never that of the lead whose request queued this.
    message = email_for(
        profile.user,
        f"attendees/email/officer_{name}_subject.txt",
        f"attendees/email/officer_{name}_message.txt",
        mail_context,
    )
    return send_once(task_key(context, f"verification:{profile.pk}:{name}"), message)
