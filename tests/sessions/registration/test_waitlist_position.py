"""Officers see where they stand: My training lists waitlisted places with the position in
line, the session page shows the position too, and My training links to requesting a
training."""

import datetime

import pytest
from django.urls import reverse

from sessions.registration import selectors
from tests import factories

pytestmark = pytest.mark.django_db


def full_session_with_line():
    day = datetime.date.today() + datetime.timedelta(days=15)
    session = factories.session(
        reference="LINE-1", capacity=1, days=[(day, datetime.time(9), datetime.time(17))]
    )
    factories.registration(session_obj=session)
    first = factories.registration(session_obj=session, status="waitlisted")
    second = factories.registration(session_obj=session, status="waitlisted")
    return session, first, second


def test_the_position_counts_those_ahead_in_the_order_seats_are_given():
    _session, first, second = full_session_with_line()
    assert selectors.waitlist_position(first) == 1
    assert selectors.waitlist_position(second) == 2


def test_my_training_lists_the_waitlisted_place_with_its_position(client):
    session, _first, second = full_session_with_line()
    client.force_login(second.officer)
    page = client.get(reverse("my_training:index")).content.decode()
    assert session.reference in page
    assert "number 2 on the waitlist" in page


def test_the_session_page_shows_the_position(client):
    session, first, _second = full_session_with_line()
    client.force_login(first.officer)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "number 1 on the waitlist" in page


def test_my_training_links_to_requesting_a_training(client):
    client.force_login(factories.officer())
    page = client.get(reverse("my_training:index")).content.decode()
    assert reverse("training_sessions:request_training") in page


def test_an_unverified_officer_gets_no_request_link(client):
    client.force_login(factories.officer(verified=False))
    page = client.get(reverse("my_training:index")).content.decode()
    assert reverse("training_sessions:request_training") not in page


def test_the_catalogue_links_verified_officers_to_requesting_a_training(client):
    from courses.models import CourseIndexPage

    index = CourseIndexPage.objects.get()
    client.force_login(factories.officer())
    page = client.get(index.url).content.decode()
    assert reverse("training_sessions:request_training") in page
