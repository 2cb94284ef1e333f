"""The one write of the communications app: sending a message to a session's registrants."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import record
from sessions.permissions import can_manage_session

from . import selectors
from .models import MessageRecipient, SessionMessage

SUBJECT_MAX = 200
BODY_MAX = 10_000


class MessageRefused(Exception):
    """A message the rules do not allow. `message` is for the person writing (translated)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def send_message(*, session, acting_user, subject, body, choice, audience_detail="", now=None):
    """Keep a message on the session, addressed to the registrants `choice` selects now, audit
    it, and e-mail it after commit (communications.tasks.send_session_message, once per person).

    Only the session's trainers and programme leads may write. Raises MessageRefused for an
    empty text, an audience nobody is in, or a writer who may not write."""
    if not can_manage_session(acting_user, session):
        raise MessageRefused(_("Only the session's trainers and programme leads may write."))
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise MessageRefused(_("Write a subject and a text."))
    if len(subject) > SUBJECT_MAX or len(body) > BODY_MAX:
        raise MessageRefused(_("The subject or the text is too long."))
    with transaction.atomic():
        try:
            registrations = list(selectors.recipient_registrations(session, choice, now=now))
        except selectors.AudienceRefused as refused:
            raise MessageRefused(refused.message) from None
        if not registrations:
            raise MessageRefused(_("Nobody matches: the message was not sent."))
        message = SessionMessage.objects.create(
            session=session,
            sender=acting_user,
            sender_name=acting_user.get_full_name() or acting_user.email,
            sent_at=now or timezone.now(),
            subject=subject,
            body=body,
            audience=choice.kind,
            audience_detail=audience_detail[:255],
        )
        MessageRecipient.objects.bulk_create(
            MessageRecipient(message=message, officer_id=r.officer_id) for r in registrations
        )
        record(
            actor=acting_user,
            action=AuditEntry.Action.MESSAGE_SENT,
            target=session,
            after={
                "message": message.pk,
                "subject": subject,
                "audience": choice.kind,
                "audience_detail": message.audience_detail,
                "recipients": len(registrations),
            },
        )
        from .tasks import send_session_message

        transaction.on_commit(lambda: send_session_message.enqueue(message_id=message.pk))
    return message
