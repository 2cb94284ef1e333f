"""Side effects of evaluation services, run after commit through the tasks framework."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django_tasks import task

from accounts import languages
from jobs.mail import send_once, task_key


@task(takes_context=True)
def send_feedback_email(context, *, session_id, officer_id, kind):
    """Invite an officer to give feedback on a session they attended, or remind them (kind
    "invitation" or "reminder"). The link opens the form after sign-in. Once per enqueue even
    if the task runs again (jobs.mail.send_once)."""
    from sessions.models import TrainingSession

    from . import selectors

    session = TrainingSession.objects.select_related("course").get(pk=session_id)
    officer = get_user_model().objects.get(pk=officer_id)
    attributed, _reminder, _close = selectors.session_settings(session)
    mail_context = {
        "session": session,
        "officer": officer,
        "kind": kind,
        "attributed": attributed,
        "closes": selectors.feedback_window(session).closes,
        "base_url": settings.WAGTAILADMIN_BASE_URL,
        "programme": settings.MUSTER_PROGRAMME_NAME,
    }
    # In the officer's language, not the language of whoever's request queued it.
    message = languages.email_for(
        officer,
        "evaluation/email/feedback_subject.txt",
        "evaluation/email/feedback_body.txt",
        mail_context,
    )
    key = task_key(context, f"feedback:{session.pk}:{officer.pk}:{kind}")
    return send_once(key, message)
