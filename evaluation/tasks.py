"""Side effects of evaluation services, run after commit through the tasks framework."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task

from accounts import languages


@task()
def send_feedback_email(*, session_id, officer_id, kind):
    """Invite an officer to give feedback on a session they attended, or remind them (kind
    "invitation" or "reminder"). The link opens the form after sign-in."""
    from sessions.models import TrainingSession

    from . import selectors

    session = TrainingSession.objects.select_related("course").get(pk=session_id)
    officer = get_user_model().objects.get(pk=officer_id)
    attributed, _reminder, _close = selectors.session_settings(session)
    context = {
        "session": session,
        "officer": officer,
        "kind": kind,
        "attributed": attributed,
        "closes": selectors.feedback_window(session).closes,
        "base_url": settings.WAGTAILADMIN_BASE_URL,
        "programme": settings.MUSTER_PROGRAMME_NAME,
    }
    # In the officer's language, not the language of whoever's request queued it.
    with languages.override_for(officer):
        subject = render_to_string("evaluation/email/feedback_subject.txt", context)
        body = render_to_string("evaluation/email/feedback_body.txt", context)
    send_mail(
        subject=" ".join(subject.split()),
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[officer.email],
    )
