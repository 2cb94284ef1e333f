"""E-mail to a nominated officer, in their language, with the link to answer (after commit)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from accounts.languages import override_for
from jobs.mail import send_once


@task()
def send_nomination_email(*, nomination_id):
    from .models import Nomination

    nomination = Nomination.objects.select_related(
        "officer", "nominated_by", "session", "session__course"
    ).get(pk=nomination_id)
    with override_for(nomination.officer):
        context = {
            "nomination": nomination,
            "session": nomination.session,
            "answer_url": settings.WAGTAILADMIN_BASE_URL
            + reverse("coordinators:respond", args=[nomination.pk]),
            "programme": settings.MUSTER_PROGRAMME_NAME,
        }
        subject = render_to_string("coordinators/email/nomination_subject.txt", context)
        body = render_to_string("coordinators/email/nomination_body.txt", context)
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[nomination.officer.email],
    )
    send_once(f"nomination:{nomination.pk}", message)
