"""Sending a message: who may, what is kept and audited, one e-mail per person even when the
task runs again, in each person's language, replies to the author."""

import pytest
from django.core import mail

from audit.models import AuditEntry
from communications import services, tasks
from communications.models import MessageRecipient, SessionMessage
from communications.selectors import AudienceChoice
from jobs.models import SentEmail
from tests import factories

pytestmark = pytest.mark.django_db

CONFIRMED = AudienceChoice(kind="confirmed")


@pytest.fixture
def session_with_trainer():
    session = factories.session(reference="2030-HK-042")
    trainer = factories.trainer(
        email="trainer@programme.example", first_name="Tess", last_name="Lee"
    )
    session.trainers.add(trainer)
    return session, trainer


def send(session, user, choice=CONFIRMED, **fields):
    fields = {"subject": "Room change", "body": "We meet in room 4.", **fields}
    return services.send_message(session=session, acting_user=user, choice=choice, **fields)


def test_a_message_is_kept_audited_and_emailed_once_to_each(
    session_with_trainer, django_capture_on_commit_callbacks
):
    session, trainer = session_with_trainer
    officers = [factories.officer() for _ in range(3)]
    for officer in officers:
        factories.registration(session_obj=session, officer_obj=officer)
    factories.registration(session_obj=session, status="waitlisted")
    with django_capture_on_commit_callbacks(execute=True):
        message = send(session, trainer)
    assert message.sender == trainer and message.sender_name == "Tess Lee"
    assert set(message.recipients.values_list("officer_id", flat=True)) == {o.pk for o in officers}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(o.email for o in officers)
    assert all(m.reply_to == ["trainer@programme.example"] for m in mail.outbox)
    assert "We meet in room 4." in mail.outbox[0].body
    assert mail.outbox[0].subject == "[2030-HK-042] Room change"
    # The trainer's address is in Reply-To only, never in the text.
    assert "trainer@programme.example" not in mail.outbox[0].body
    entry = AuditEntry.objects.get(action=AuditEntry.Action.MESSAGE_SENT)
    assert entry.actor == trainer and entry.after["recipients"] == 3
    message.refresh_from_db()
    assert message.delivered_at is not None
    assert not MessageRecipient.objects.filter(message=message, emailed_at=None).exists()


def test_the_task_run_twice_sends_nothing_more(
    session_with_trainer, django_capture_on_commit_callbacks
):
    session, trainer = session_with_trainer
    for _ in range(2):
        factories.registration(session_obj=session)
    with django_capture_on_commit_callbacks(execute=True):
        message = send(session, trainer)
    assert len(mail.outbox) == 2
    assert tasks.send_session_message.call(message_id=message.pk) == 0
    assert len(mail.outbox) == 2
    assert SentEmail.objects.filter(key__startswith=f"session-message:{message.pk}:").count() == 2


def test_a_run_that_died_half_way_sends_only_the_rest(
    session_with_trainer, django_capture_on_commit_callbacks
):
    session, trainer = session_with_trainer
    first, second = factories.officer(), factories.officer()
    for officer in (first, second):
        factories.registration(session_obj=session, officer_obj=officer)
    with django_capture_on_commit_callbacks(execute=False):
        message = send(session, trainer)
    # The first copy went out in a run that died before the second.
    SentEmail.objects.create(key=tasks.message_key(message.pk, first.pk))
    assert tasks.send_session_message.call(message_id=message.pk) == 1
    assert [m.to for m in mail.outbox] == [[second.email]]


def test_each_recipient_reads_the_frame_in_their_language_and_the_text_as_written(
    session_with_trainer, django_capture_on_commit_callbacks
):
    session, trainer = session_with_trainer
    french = factories.officer(preferred_language="fr")
    factories.registration(session_obj=session, officer_obj=french)
    with django_capture_on_commit_callbacks(execute=True):
        send(session, trainer, body="Bring your badge.")
    body = mail.outbox[0].body
    assert "Bring your badge." in body
    from django.utils import translation

    with translation.override("fr"):
        from django.utils.translation import gettext

        note = gettext(
            "The message below is sent as its author wrote it; it has not been translated. "
            "Reply to this e-mail to answer the author."
        )
    assert note in body


def test_only_the_sessions_trainers_and_leads_may_write(session_with_trainer):
    session, _trainer = session_with_trainer
    factories.registration(session_obj=session)
    for outsider in (factories.trainer(), factories.officer()):
        with pytest.raises(services.MessageRefused):
            send(session, outsider)
    assert send(session, factories.lead()).recipients.count() == 1


def test_nobody_matching_or_an_empty_text_is_refused_and_keeps_nothing(session_with_trainer):
    session, trainer = session_with_trainer
    factories.registration(session_obj=session)
    with pytest.raises(services.MessageRefused):
        send(session, trainer, choice=AudienceChoice(kind="waitlisted"))
    with pytest.raises(services.MessageRefused):
        send(session, trainer, body="   ")
    with pytest.raises(services.MessageRefused):
        send(session, trainer, body="x" * (services.BODY_MAX + 1))
    assert not SessionMessage.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.MESSAGE_SENT).exists()


def test_messages_are_in_the_personal_data_export_and_lose_the_writers_name(
    session_with_trainer,
):
    from communications import personal_data

    session, trainer = session_with_trainer
    officer = factories.officer()
    factories.registration(session_obj=session, officer_obj=officer)
    send(session, trainer)
    received = personal_data.sections(officer)["messages_received"]
    assert [(m["subject"], m["from"]) for m in received] == [("Room change", "Tess Lee")]
    assert personal_data.sections(trainer)["messages_written"][0]["subject"] == "Room change"
    personal_data.anonymise(trainer)
    assert SessionMessage.objects.get().sender_name == "—"
