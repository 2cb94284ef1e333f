"""My training and the session page run the same number of queries however much data the
person and the session have (signed in: these pages are never cached); the session page
carries no list of some 600 time zones."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _sessions_for(officer, n, start):
    for i in range(n):
        day = start + datetime.timedelta(days=7 * i)
        confirmed = factories.session(days=[(day, datetime.time(9), datetime.time(17))])
        factories.registration(session_obj=confirmed, officer_obj=officer)
        full = factories.session(capacity=1, days=[(day, datetime.time(9), datetime.time(17))])
        factories.registration(session_obj=full)
        factories.registration(session_obj=full, officer_obj=officer, status="waitlisted")


def test_my_training_queries_do_not_grow_with_sessions(client):
    officer = factories.officer()
    client.force_login(officer)
    url = "/en/my-training/"
    _sessions_for(officer, 1, datetime.date(2031, 1, 6))
    few = _queries(client, url)
    _sessions_for(officer, 5, datetime.date(2032, 1, 5))
    many = _queries(client, url)
    assert many == few


def test_session_page_queries_do_not_grow_with_days_registrations_or_trainers(client):
    officer = factories.officer()
    client.force_login(officer)
    small = factories.session()
    factories.registration(session_obj=small)
    days = [(datetime.date(2031, 3, d), datetime.time(9), datetime.time(17)) for d in range(2, 12)]
    big = factories.session(days=days)
    for _ in range(8):
        factories.registration(session_obj=big)
    for _ in range(3):
        big.trainers.add(factories.trainer())
    small.trainers.add(factories.trainer())
    url = lambda s: reverse("training_sessions:detail", args=[s.reference])  # noqa: E731
    _queries(client, url(small))  # the first request of a process reads a few things once
    assert _queries(client, url(big)) == _queries(client, url(small))


def test_session_page_carries_no_time_zone_options_and_still_takes_a_zone(client):
    session = factories.session(time_zone="Asia/Tokyo")
    url = reverse("training_sessions:detail", args=[session.reference])
    html = client.get(url).content.decode()
    assert html.count("<option") < 20  # the language switcher's, not ~600 zones
    assert 'list="time-zones"' in html
    shown = client.get(url, {"tz": "Europe/London"}).content.decode()
    assert "Your time (Europe/London)" in shown
    ignored = client.get(url, {"tz": "Mars/Olympus"}).content.decode()
    assert "Your time" not in ignored
