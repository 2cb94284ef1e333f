"""The trainer's workspace in the admin: "My sessions" lists the upcoming sessions they train
with seats taken and pending approvals, and links each to its roster, roll call, QR check-in,
import, exports and certificates; the dashboard shows the same list."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sessions.schedule import selectors
from tests import factories

pytestmark = pytest.mark.django_db


def future(days):
    return datetime.date.today() + datetime.timedelta(days=days)


def taught(trainer, *, days_ahead=10, **fields):
    session = factories.session(
        days=[(future(days_ahead), datetime.time(9), datetime.time(17))], **fields
    )
    session.trainers.add(trainer)
    return session


def test_the_selector_counts_seats_and_pending_and_keeps_only_upcoming_own_sessions():
    trainer = factories.trainer()
    mine = taught(trainer, capacity=10)
    factories.registration(session_obj=mine)
    factories.registration(session_obj=mine)
    factories.registration(session_obj=mine, status="pending")
    factories.registration(session_obj=mine, status="cancelled")
    taught(trainer, days_ahead=-30)  # over
    factories.session(days=[(future(5), datetime.time(9), datetime.time(17))])  # not mine
    rows = list(selectors.trainer_upcoming_sessions(trainer))
    assert [row.pk for row in rows] == [mine.pk]
    assert (rows[0].confirmed_count, rows[0].pending_count) == (2, 1)


def test_the_page_links_every_tool_of_a_session(client):
    trainer = factories.trainer()
    session = taught(trainer, reference="MINE-1", capacity=12)
    factories.registration(session_obj=session)
    client.force_login(trainer)
    response = client.get(reverse("my_sessions:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "MINE-1" in page and "1 / 12" in page
    first_day = session.days.get().date.isoformat()
    for url in (
        reverse("training_sessions:roster", args=[session.reference]),
        reverse("training_sessions:roll_call", args=[session.reference]),
        reverse("training_sessions:checkin_code", args=[session.reference, first_day]),
        reverse("training_sessions:roster_import", args=[session.reference]),
        reverse("training_sessions:export", args=[session.reference, "roster", "csv"]),
        reverse("certificates_admin:issue_session", args=[session.pk]),
        reverse("sessions:edit", args=[session.pk]),
    ):
        assert f'href="{url}"' in page, url


def test_the_page_shows_nobody_elses_sessions(client):
    trainer = factories.trainer()
    factories.session(reference="OTHER-1", days=[(future(5), datetime.time(9), datetime.time(17))])
    client.force_login(trainer)
    page = client.get(reverse("my_sessions:index")).content.decode()
    assert "OTHER-1" not in page
    assert "You train no upcoming session" in page


def test_an_officer_cannot_open_it(client):
    client.force_login(factories.officer())
    assert client.get(reverse("my_sessions:index")).status_code == 403


def test_the_dashboard_shows_the_trainers_sessions(client):
    trainer = factories.trainer()
    taught(trainer, reference="DASH-1")
    client.force_login(trainer)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "DASH-1" in page and reverse("my_sessions:index") in page


def test_the_query_count_does_not_grow_with_sessions(client):
    trainer = factories.trainer()
    client.force_login(trainer)
    taught(trainer)
    client.get(reverse("my_sessions:index"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("my_sessions:index"))
    for n in range(4):
        taught(trainer, days_ahead=20 + n)
    with CaptureQueriesContext(connection) as five:
        client.get(reverse("my_sessions:index"))
    assert len(five) == len(one)
