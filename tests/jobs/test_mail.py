"""E-mail tasks send through jobs.mail.send_once: a task run again (a retry, a requeue after its
worker died) never sends twice, and a send that failed leaves no marker, so the retry sends."""

import datetime
import smtplib
import uuid
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.mail import EmailMessage

from jobs.mail import send_once, task_key
from jobs.models import SentEmail
from sessions.registration import services as registration_services
from sessions.tasks import send_registration_email
from tests import factories

pytestmark = pytest.mark.django_db


def a_run():
    """The context a task run receives; a run again of the same task keeps its result id."""
    return SimpleNamespace(task_result=SimpleNamespace(id=uuid.uuid4()))


def upcoming_session():
    day = datetime.date.today() + datetime.timedelta(days=20)
    return factories.session(days=[(day, datetime.time(9), datetime.time(17))])


def test_send_once_sends_one_mail_per_key():
    assert send_once("k1", EmailMessage("s", "b", None, ["a@example.org"])) is True
    assert send_once("k1", EmailMessage("s", "b", None, ["a@example.org"])) is False
    assert send_once("k2", EmailMessage("s", "b", None, ["a@example.org"])) is True
    assert len(mail.outbox) == 2
    assert set(SentEmail.objects.values_list("key", flat=True)) == {"k1", "k2"}


def test_a_failed_send_leaves_no_marker_and_the_retry_sends(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    with monkeypatch.context() as patch:
        patch.setattr(EmailMessage, "send", refuse)
        with pytest.raises(smtplib.SMTPServerDisconnected):
            send_once("k", EmailMessage("s", "b", None, ["a@example.org"]))
    assert not SentEmail.objects.exists()
    assert send_once("k", EmailMessage("s", "b", None, ["a@example.org"])) is True
    assert len(mail.outbox) == 1


def test_task_key_is_the_task_runs_id():
    run = a_run()
    assert task_key(run, "registration:7:confirmed") == (
        f"registration:7:confirmed:{run.task_result.id}"
    )


def test_registering_sends_the_confirmation_through_send_once(django_capture_on_commit_callbacks):
    session, officer = upcoming_session(), factories.officer()
    with django_capture_on_commit_callbacks(execute=True):
        registration = registration_services.register(
            session=session, officer=officer, acting_user=officer
        )
    assert len(mail.outbox) == 1
    (key,) = SentEmail.objects.values_list("key", flat=True)
    assert key.startswith(f"registration:{registration.pk}:confirmed:")


def test_a_registration_mail_task_run_again_sends_nothing():
    session, officer = upcoming_session(), factories.officer()
    registration = factories.registration(session_obj=session, officer_obj=officer)
    run = a_run()
    assert send_registration_email.func(run, registration_id=registration.pk, kind="confirmed")
    # The worker died after the commit and before recording success: the same run again.
    assert not send_registration_email.func(run, registration_id=registration.pk, kind="confirmed")
    assert len(mail.outbox) == 1


def test_a_new_enqueue_of_the_same_kind_sends_again():
    # Cancelled, then registered again: a second "confirmed" is a new mail, not a repeat.
    session, officer = upcoming_session(), factories.officer()
    registration = factories.registration(session_obj=session, officer_obj=officer)
    for _ in range(2):
        send_registration_email.func(a_run(), registration_id=registration.pk, kind="confirmed")
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("kind", ["waitlisted", "promoted", "cancelled", "approved", "rejected"])
def test_every_registration_kind_is_sent_once(kind):
    session, officer = upcoming_session(), factories.officer()
    registration = factories.registration(session_obj=session, officer_obj=officer)
    run = a_run()
    for _ in range(2):
        send_registration_email.func(run, registration_id=registration.pk, kind=kind)
    assert len(mail.outbox) == 1
    assert SentEmail.objects.filter(key__startswith=f"registration:{registration.pk}:{kind}:")
