"""Side effects of session services, run after commit through the tasks framework."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def send_training_request_decision(*, training_request_id):
    """E-mail the requester that their training request was accepted or declined."""
    from .models import TrainingRequest

    request = TrainingRequest.objects.select_related(
        "requester", "agency", "course", "session"
    ).get(pk=training_request_id)
    context = {
        "request": request,
        "base_url": settings.WAGTAILADMIN_BASE_URL,
        "programme": settings.MUSTER_PROGRAMME_NAME,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(
            "training_sessions/email/training_request_decision_subject.txt", context
        )
        body = render_to_string(
            "training_sessions/email/training_request_decision_body.txt", context
        )
    send_mail(
        subject=" ".join(subject.split()),
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[request.requester.email],
    )
