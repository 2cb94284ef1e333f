"""The admin pages to write and read a session's messages, and where officers read them."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from communications.models import SessionMessage
from tests import factories

pytestmark = pytest.mark.django_db

PAST = datetime.date.today() - datetime.timedelta(days=3)


@pytest.fixture
def setting():
    session = factories.session(
        reference="2026-HK-007",
        days=[
            (PAST, datetime.time(9), datetime.time(17)),
            (PAST + datetime.timedelta(days=1), datetime.time(9), datetime.time(17)),
        ],
    )
    trainer = factories.trainer()
    session.trainers.add(trainer)
    there = factories.officer(first_name="Ann", last_name="There")
    away = factories.officer(first_name="Bob", last_name="Away")
    factories.attended(session_obj=session, officer_obj=there, statuses=("present", "present"))
    factories.attended(session_obj=session, officer_obj=away, statuses=("present", "absent"))
    day2 = session.days.order_by("date")[1]
    return session, trainer, there, away, day2


def form(day2, **extra):
    return {
        "audience": "absent",
        "day": str(day2.pk),
        "subject": "Missed you",
        "body": "Day 2 slides are on the course page.",
        **extra,
    }


def test_preview_counts_and_names_without_sending(client, setting):
    session, trainer, _there, _away, day2 = setting
    client.force_login(trainer)
    url = reverse("communications_admin:compose", args=[session.pk])
    response = client.post(url, {**form(day2), "preview": "1"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "This message reaches 1 person" in content
    listed = content.split('class="preview-recipients"')[1].split("</ul>")[0]
    assert "Bob Away" in listed and "Ann There" not in listed
    assert "Send to 1 person" in content
    assert not SessionMessage.objects.exists() and mail.outbox == []


def test_send_keeps_the_message_and_the_officer_reads_it(
    client, setting, django_capture_on_commit_callbacks
):
    session, trainer, there, away, day2 = setting
    client.force_login(trainer)
    url = reverse("communications_admin:compose", args=[session.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**form(day2), "send": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "communications_admin:session_messages", args=[session.pk]
    )
    assert [m.to for m in mail.outbox] == [[away.email]]
    listing = client.get(response["Location"]).content.decode()
    assert "Missed you" in listing and "Bob Away" in listing

    client.force_login(away)
    assert "Day 2 slides are on the course page." in client.get("/en/my-training/").content.decode()
    page = client.get(reverse("training_sessions:detail", args=[session.reference]))
    assert "Day 2 slides are on the course page." in page.content.decode()
    # Ann was there: the message is not hers to read.
    client.force_login(there)
    assert "Missed you" not in client.get("/en/my-training/").content.decode()
    page = client.get(reverse("training_sessions:detail", args=[session.reference]))
    assert "Missed you" not in page.content.decode()


def test_a_refused_audience_says_why_and_sends_nothing(client, setting):
    session, trainer, *_ = setting
    client.force_login(trainer)
    url = reverse("communications_admin:compose", args=[session.pk])
    data = {"audience": "agency", "subject": "x", "body": "y", "send": "1"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Choose an agency." in response.content.decode()
    assert not SessionMessage.objects.exists()


def test_another_trainer_gets_404_even_by_post(client, setting):
    session, _trainer, _there, _away, day2 = setting
    client.force_login(factories.trainer())
    url = reverse("communications_admin:compose", args=[session.pk])
    assert client.post(url, {**form(day2), "send": "1"}).status_code == 404
    assert not SessionMessage.objects.exists()


def test_the_roster_and_my_sessions_link_to_writing(client, setting):
    session, trainer, *_ = setting
    client.force_login(trainer)
    compose = reverse("communications_admin:compose", args=[session.pk])
    roster = client.get(reverse("training_sessions:roster", args=[session.reference]))
    assert compose in roster.content.decode()


def test_the_messages_page_takes_the_same_queries_for_more_messages(
    client, setting, django_assert_max_num_queries
):
    from communications import services
    from communications.selectors import AudienceChoice

    session, trainer, *_ = setting
    client.force_login(trainer)
    url = reverse("communications_admin:session_messages", args=[session.pk])

    def write():
        services.send_message(
            session=session,
            acting_user=trainer,
            subject="Note",
            body="Text",
            choice=AudienceChoice(kind="confirmed"),
        )

    write()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(4):
        write()
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).content.decode().count("<article") == 5


def test_a_trainer_moves_the_joining_instructions_of_their_session(client, setting):
    from audit.models import AuditEntry
    from communications.models import SessionNotices

    session, trainer, *_ = setting
    client.force_login(trainer)
    url = reverse("communications_admin:session_notices", args=[session.pk])
    response = client.post(url, {"joining_days": "2", "thank_you_off": "on"})
    assert response.status_code == 302
    row = SessionNotices.objects.get(session=session)
    assert (row.joining_days, row.thank_you_off, row.reminder_off) == (2, True, False)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.NOTICE_SETTINGS_CHANGED).exists()
    page = client.get(url).content.decode()
    assert "2 days before the first day" in page
    # Out of range: refused, nothing changed.
    assert client.post(url, {"joining_days": "31"}).status_code == 200
    assert SessionNotices.objects.get(session=session).joining_days == 2
