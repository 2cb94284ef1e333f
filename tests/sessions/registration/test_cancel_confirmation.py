"""Cancelling asks first: it gives the seat away at once. The session page links to a
confirmation page that says what happens and until when one may cancel; only its POST cancels."""

import datetime

import pytest
from django.urls import reverse

from sessions.models import Registration
from tests import factories

pytestmark = pytest.mark.django_db


def upcoming_registration():
    day = datetime.date.today() + datetime.timedelta(days=12)
    session = factories.session(
        reference="CONFIRM-1",
        days=[(day, datetime.time(9), datetime.time(17))],
        time_zone="UTC",
    )
    return factories.registration(session_obj=session)


def test_the_session_page_links_to_a_confirmation_instead_of_cancelling(client):
    registration = upcoming_registration()
    client.force_login(registration.officer)
    page = client.get(registration.session.get_absolute_url()).content.decode()
    url = reverse("training_sessions:cancel_registration", args=[registration.pk])
    assert f'href="{url}"' in page
    assert f'action="{url}"' not in page


def test_the_confirmation_page_cancels_nothing_and_shows_the_deadline(client):
    registration = upcoming_registration()
    client.force_login(registration.officer)
    response = client.get(reverse("training_sessions:cancel_registration", args=[registration.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "gives your seat to the next person" in page
    first = registration.session.days.get().starts_at
    assert first.strftime("%Y") in page and "You can cancel until" in page
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_posting_the_confirmation_cancels(client):
    registration = upcoming_registration()
    client.force_login(registration.officer)
    client.post(reverse("training_sessions:cancel_registration", args=[registration.pk]))
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_another_officer_gets_404_on_the_confirmation_page(client):
    registration = upcoming_registration()
    client.force_login(factories.officer())
    url = reverse("training_sessions:cancel_registration", args=[registration.pk])
    assert client.get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client):
    registration = upcoming_registration()
    url = reverse("training_sessions:cancel_registration", args=[registration.pk])
    assert client.get(url).status_code == 302
