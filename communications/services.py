"""The one write of the communications app: sending a message to a session's registrants."""

import datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import record
from sessions.models import Registration, TrainingSession
from sessions.permissions import can_manage_session

from . import selectors
from .models import MessageRecipient, NoticeSent, SessionMessage, SessionNotices

SUBJECT_MAX = 200
BODY_MAX = 10_000


class MessageRefused(Exception):
    """A message the rules do not allow. `message` is for the person writing (translated)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def send_message(
    *,
    session: TrainingSession,
    acting_user: Any,
    subject: str,
    body: str,
    choice: selectors.AudienceChoice,
    audience_detail: str = "",
    now: datetime.datetime | None = None,
) -> SessionMessage:
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


def queue_due_notices(*, now: datetime.datetime | None = None) -> list[NoticeSent]:
    """Queue every scheduled notice due at `now` (joining instructions, reminder, thank-you)
    for each person once: a NoticeSent row is written with the e-mail's queuing, in one
    transaction per session with the registrations locked, so a second run (or two overlapping
    ones) finds them and queues nothing. Audited per session. Returns the NoticeSent rows."""
    from . import notices
    from .tasks import send_notice

    now = now or timezone.now()
    queued: list[NoticeSent] = []
    for session in notices.candidate_sessions(now):
        try:
            override = session.notice_settings
        except SessionNotices.DoesNotExist:
            override = None
        plan = notices.effective_days(session, override)
        with transaction.atomic():
            rows: list[NoticeSent] = []
            for kind, days in plan.items():
                if days is None:
                    continue
                candidates = (
                    notices.recipients(session, kind)
                    .exclude(notices_sent__kind=kind)
                    .select_related("officer")
                    .select_for_update(of=("self",))
                    .order_by("pk")
                )
                for registration in candidates:
                    window = notices.due_window(
                        kind, days, session, notices.recipient_zone(registration.officer, session)
                    )
                    if window and window[0] <= now < window[1]:
                        rows.append(NoticeSent(registration=registration, kind=kind, queued_at=now))
            if not rows:
                continue
            NoticeSent.objects.bulk_create(rows)
            reminded = [r.registration_id for r in rows if r.kind == "reminder"]
            if reminded:
                Registration.objects.filter(pk__in=reminded).update(reminded_at=now)
            counts: dict[str, int] = {}
            for row in rows:
                counts[row.kind] = counts.get(row.kind, 0) + 1
            record(
                actor=None, action=AuditEntry.Action.NOTICES_QUEUED, target=session, after=counts
            )
            for row in rows:
                transaction.on_commit(partial(send_notice.enqueue, notice_id=row.pk))
        queued.extend(rows)
    return queued


def save_session_notices(
    *, session: TrainingSession, acting_user: Any, **fields: Any
) -> SessionNotices:
    """Set a session's own choice of scheduled notices (see SessionNotices). Only the session's
    trainers and the leads. Audited with before and after."""
    if not can_manage_session(acting_user, session):
        raise MessageRefused(_("Only the session's trainers and programme leads may change this."))
    names = ["joining_off", "joining_days", "reminder_off", "reminder_days", "thank_you_off"]
    with transaction.atomic():
        notices_row, _created = SessionNotices.objects.select_for_update().get_or_create(
            session=session
        )
        before = {name: getattr(notices_row, name) for name in names}
        for name in names:
            if name in fields:
                setattr(notices_row, name, fields[name])
        notices_row.full_clean()
        notices_row.save()
        after = {name: getattr(notices_row, name) for name in names}
        record(
            actor=acting_user,
            action=AuditEntry.Action.NOTICE_SETTINGS_CHANGED,
            target=session,
            before=before,
            after=after,
        )
    return notices_row
