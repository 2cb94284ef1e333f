"""Invitations when the form opens and one reminder to those who have not answered."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from evaluation import selectors, services
from evaluation.models import FeedbackInvitation

from .conftest import answers, ended_session

pytestmark = pytest.mark.django_db


def test_attendees_are_invited_once_by_email_with_the_forms_link(
    settings, django_capture_on_commit_callbacks
):
    session, officers = ended_session(attendees=2)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_feedback_invitations", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sorted(m.to[0] for m in mail.outbox) == sorted(o.email for o in officers)
    assert f"/feedback/{session.reference}/" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_feedback_invitations()
    assert len(mail.outbox) == 2


def test_no_invitation_before_the_form_opens_or_after_it_closes(settings):
    settings.MUSTER_FEEDBACK_CLOSE_DAYS = 14
    session, _officers = ended_session(attendees=1)
    opens = selectors.feedback_window(session).opens
    assert services.queue_feedback_invitations(now=opens - datetime.timedelta(minutes=1)) == (0, 0)
    assert services.queue_feedback_invitations(now=opens + datetime.timedelta(days=14)) == (0, 0)
    assert not mail.outbox


def test_reminders_go_only_to_those_who_have_not_answered_and_only_once(
    settings, django_capture_on_commit_callbacks
):
    settings.MUSTER_FEEDBACK_REMINDER_DAYS = 3
    session, (answered, silent) = ended_session(attendees=2)
    opens = selectors.feedback_window(session).opens
    assert services.queue_feedback_invitations(now=opens) == (2, 0)
    services.submit_feedback(session=session, officer=answered, data=answers(session), now=opens)
    mail.outbox.clear()
    assert services.queue_feedback_invitations(now=opens + datetime.timedelta(days=2)) == (0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        due = services.queue_feedback_invitations(now=opens + datetime.timedelta(days=3))
    assert due == (0, 1)
    assert [m.to for m in mail.outbox] == [[silent.email]]
    assert "Reminder" in mail.outbox[0].subject
    assert services.queue_feedback_invitations(now=opens + datetime.timedelta(days=6)) == (0, 0)
    assert FeedbackInvitation.objects.get(officer=silent).reminded_at is not None


def test_an_invitation_is_written_in_the_officers_language_not_the_senders(
    django_capture_on_commit_callbacks,
):
    from django.utils import translation

    session, officers = ended_session(attendees=1)
    officers[0].preferred_language = "ko"
    officers[0].save(update_fields=["preferred_language"])
    # Queued from a request in English (a lead's command run, a cron job in the site language).
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.queue_feedback_invitations()
    (message,) = mail.outbox
    english = translation.override("en")
    with english:
        from django.template.loader import render_to_string

        english_subject = render_to_string(
            "evaluation/email/feedback_subject.txt",
            {"session": session, "kind": "invitation", "programme": "x"},
        )
    assert message.subject != " ".join(english_subject.split())
    assert any("\uac00" <= ch <= "\ud7a3" for ch in message.subject + message.body)  # Hangul
