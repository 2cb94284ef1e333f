"""E-mail to a nominated officer, in their language, with the link to answer (after commit)."""

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from accounts.languages import email_for, override_for
from jobs.mail import send_once


@task()
def send_nomination_email(*, nomination_id):
    from .models import Nomination

    nomination = Nomination.objects.select_related(
        "officer", "nominated_by", "session", "session__course"
    ).get(pk=nomination_id)
    with override_for(nomination.officer):  # the answer link in the nominee's language
        context = {
            "nomination": nomination,
            "session": nomination.session,
            "answer_url": settings.WAGTAILADMIN_BASE_URL
            + reverse("coordinators:respond", args=[nomination.pk]),
            "programme": settings.MUSTER_PROGRAMME_NAME,
        }
    message = email_for(
        nomination.officer,
        "coordinators/email/nomination_subject.txt",
        "coordinators/email/nomination_body.txt",
        context,
    )
    send_once(f"nomination:{nomination.pk}", message)
