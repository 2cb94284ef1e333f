"""The communications app's part of a person's data export and of anonymising them (registered
in wagtail_hooks.py): the messages they received, and those they wrote."""

from .models import MessageRecipient, SessionMessage


def sections(user):
    received = MessageRecipient.objects.filter(officer=user).select_related("message__session")
    written = SessionMessage.objects.filter(sender=user).select_related("session")
    return {
        "messages_received": [
            {
                "session": r.message.session.reference,
                "from": r.message.sender_name,
                "sent_at": r.message.sent_at.isoformat(),
                "subject": r.message.subject,
                "text": r.message.body,
            }
            for r in received.order_by("message__sent_at", "pk")
        ],
        "messages_written": [
            {
                "session": m.session.reference,
                "sent_at": m.sent_at.isoformat(),
                "subject": m.subject,
            }
            for m in written.order_by("sent_at", "pk")
        ],
    }


def anonymise(user):
    """Messages stay on their sessions (the session's record of what participants were told);
    the anonymised person's name leaves them. A recipient row points at the anonymised account,
    which no longer names anyone."""
    SessionMessage.objects.filter(sender=user).update(sender_name="—")
