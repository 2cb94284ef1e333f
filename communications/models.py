"""Messages a session's trainers and the programme leads write to the session's registrants.

A message is kept on the session for good (who wrote it, when, to whom and what it said): it is
the session's record of what participants were told. Written only by
communications.services.send_message; e-mailed by communications.tasks.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SessionMessage(models.Model):
    """One message written once, in its author's words, to a chosen set of a session's
    registrants (the audience). Trainers of the session and programme leads write them from the
    admin; officers read the ones addressed to them on the session page and on My training."""

    class Audience(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed registrants")
        WAITLISTED = "waitlisted", _("The waitlist")
        PENDING = "pending", _("Registrations awaiting approval")
        PRESENT = "present", _("Present on a day")
        ABSENT = "absent", _("Absent on a day")
        NO_SHOW = "no_show", _("No-shows (confirmed, attended no day)")
        AGENCY = "agency", _("Confirmed registrants of one agency")
        COUNTRY = "country", _("Confirmed registrants from one country")
        CHOSEN = "chosen", _("The people ticked on the list")

    session = models.ForeignKey(
        "training_sessions.TrainingSession",
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="messages",
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The sender's name as it was when they wrote: what officers read under the message.
    sender_name = models.CharField(_("sender's name"), max_length=255)
    sent_at = models.DateTimeField(_("written at"), default=timezone.now)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)
    # What narrowed the audience (the day, agency or country), for the record.
    audience_detail = models.CharField(_("audience detail"), max_length=255, blank=True)
    # Set by the task once every recipient's e-mail has gone out.
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["session", "sent_at"])]

    def __str__(self):
        return f"{self.session.reference} · {self.subject}"


class MessageRecipient(models.Model):
    """One person a message was addressed to, fixed when it was written (a later change of
    status or attendance does not change who received it)."""

    message = models.ForeignKey(
        SessionMessage,
        verbose_name=_("message"),
        on_delete=models.CASCADE,
        related_name="recipients",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="session_messages",
    )
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(fields=["message", "officer"], name="message_recipient_once"),
        ]
        indexes = [models.Index(fields=["officer", "message"])]

    def __str__(self):
        return f"{self.message_id} → {self.officer_id}"


class NoticeKind(models.TextChoices):
    JOINING = "joining", _("Joining instructions")
    REMINDER = "reminder", _("Reminder")
    THANK_YOU = "thank_you", _("Thank-you after the last day")


class SessionNotices(models.Model):
    """A session's own choice of scheduled notices, where it departs from the programme's
    (settings.MUSTER_NOTICES). Empty days mean "as the programme"; off switches a kind off for
    this session. Edited by the session's trainers and the leads."""

    session = models.OneToOneField(
        "training_sessions.TrainingSession",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="notice_settings",
    )
    joining_off = models.BooleanField(_("no joining instructions"), default=False)
    joining_days = models.PositiveSmallIntegerField(
        _("joining instructions, days before"), null=True, blank=True
    )
    reminder_off = models.BooleanField(_("no reminder"), default=False)
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder, days before"), null=True, blank=True
    )
    thank_you_off = models.BooleanField(_("no thank-you"), default=False)

    class Meta:
        verbose_name = _("session notices")
        verbose_name_plural = _("session notices")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(joining_days__lte=30) & models.Q(reminder_days__lte=30),
                name="session_notices_days_at_most_30",
            )
        ]

    def __str__(self):
        return str(self.session_id)


class NoticeSent(models.Model):
    """The ledger of scheduled notices: one row per kind and registration, written in the
    transaction that queues the e-mail, so the scheduler sends each at most once per person."""

    registration = models.ForeignKey(
        "training_sessions.Registration",
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="notices_sent",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NoticeKind.choices)
    queued_at = models.DateTimeField(_("queued at"), default=timezone.now)

    class Meta:
        verbose_name = _("notice sent")
        verbose_name_plural = _("notices sent")
        constraints = [
            models.UniqueConstraint(fields=["registration", "kind"], name="notice_once_per_kind")
        ]

    def __str__(self):
        return f"{self.kind} → {self.registration_id}"
