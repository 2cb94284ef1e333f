"""E-mailing a message to its recipients, run after commit on the task queue."""

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from accounts.languages import email_for


def message_key(message_id, officer_id):
    """The sent-marker of one recipient's copy (jobs.mail.send_once)."""
    return f"session-message:{message_id}:{officer_id}"


def build_email(message, officer):
    """One recipient's e-mail: the frame in their language, the text as its author wrote it,
    replies going to the author (their address appears nowhere else)."""
    session = message.session
    context = {
        "message": message,
        "session": session,
        "officer": officer,
        "base_url": settings.WAGTAILADMIN_BASE_URL,
        "programme": settings.MUSTER_PROGRAMME_NAME,
    }
    sender_email = message.sender.email if message.sender_id and message.sender else ""
    return email_for(
        officer,
        "communications/email/message_subject.txt",
        "communications/email/message_body.txt",
        context,
        reply_to=[sender_email] if sender_email else None,
    )


@task()
def send_session_message(*, message_id):
    """E-mail a message to each of its recipients, once each even if the task runs again (a
    retry after an outage, a worker that died): jobs.mail.send_once. Returns how many were
    sent by this run."""
    from jobs.mail import send_once

    from .models import MessageRecipient, SessionMessage

    message = SessionMessage.objects.select_related("session__course", "sender").get(pk=message_id)
    sent = 0
    recipients = MessageRecipient.objects.filter(message=message).select_related("officer")
    for recipient in recipients.order_by("pk"):
        officer = recipient.officer
        if not officer.email:
            continue
        if send_once(message_key(message.pk, officer.pk), build_email(message, officer)):
            sent += 1
        if recipient.emailed_at is None:
            MessageRecipient.objects.filter(pk=recipient.pk, emailed_at=None).update(
                emailed_at=timezone.now()
            )
    SessionMessage.objects.filter(pk=message.pk, delivered_at=None).update(
        delivered_at=timezone.now()
    )
    return sent


def feedback_url(session):
    """The evaluation app's feedback form for the session, when that app offers one."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("evaluation:feedback", args=[session.reference])
    except NoReverseMatch:
        return ""


@task()
def send_notice(*, notice_id):
    """E-mail one scheduled notice, once (jobs.mail.send_once), in the recipient's language and
    with times in their time zone. In-person sessions say where; remote ones carry the join
    link, only while the person still holds a confirmed seat (sessions/registration/rules.py)."""
    from jobs.mail import send_once
    from sessions.registration import rules

    from . import notices
    from .models import NoticeSent

    notice = NoticeSent.objects.select_related(
        "registration__officer", "registration__session__course"
    ).get(pk=notice_id)
    registration = notice.registration
    officer, session = registration.officer, registration.session
    if not officer.email:
        return False
    zone = notices.recipient_zone(officer, session)
    context = {
        "kind": notice.kind,
        "officer": officer,
        "session": session,
        "days": list(session.days.order_by("date")),
        "zone": str(zone),
        "join_link": rules.join_link(session, seat=rules.holds_seat(registration)),
        "feedback_url": feedback_url(session),
        "base_url": settings.WAGTAILADMIN_BASE_URL,
        "programme": settings.MUSTER_PROGRAMME_NAME,
    }
    message = email_for(
        officer,
        "communications/email/notice_subject.txt",
        "communications/email/notice_body.txt",
        context,
    )
    return send_once(f"notice:{notice.kind}:{registration.pk}", message)
