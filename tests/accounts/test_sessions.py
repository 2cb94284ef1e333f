"""Signed-in sessions: idle time-out, deactivated users, and ending one's other sessions."""

import time

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from accounts.middleware import IDLE_CLOCK_RESOLUTION_SECONDS
from accounts.signals import LAST_ACTIVITY_SESSION_KEY
from tests import factories

pytestmark = pytest.mark.django_db

MY_TRAINING = "/en/my-training/"


def _idle_for(client, seconds):
    session = client.session
    session[LAST_ACTIVITY_SESSION_KEY] = int(time.time()) - seconds
    session.save()


def test_a_session_idle_longer_than_the_timeout_is_signed_out(client, settings):
    settings.MUSTER_IDLE_TIMEOUT_MINUTES = 30
    client.force_login(factories.officer())
    _idle_for(client, 30 * 60 + 5)
    response = client.get(MY_TRAINING)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    page = client.get("/en/", follow=True)
    assert "signed out after 30 minutes without activity" in page.content.decode()


def test_a_session_used_within_the_timeout_stays_signed_in(client, settings):
    settings.MUSTER_IDLE_TIMEOUT_MINUTES = 30
    client.force_login(factories.officer())
    _idle_for(client, 30 * 60 - 5)
    assert client.get(MY_TRAINING).status_code == 200
    # The request restarted the idle clock, and the stored session expires with it.
    assert time.time() - client.session[LAST_ACTIVITY_SESSION_KEY] < 5
    assert 29 * 60 < client.session.get_expiry_age() <= 30 * 60


def test_the_idle_clock_is_not_written_on_every_request(client):
    client.force_login(factories.officer())
    _idle_for(client, IDLE_CLOCK_RESOLUTION_SECONDS - 10)
    before = client.session[LAST_ACTIVITY_SESSION_KEY]
    client.get(MY_TRAINING)
    assert client.session[LAST_ACTIVITY_SESSION_KEY] == before


def test_a_deactivated_user_is_signed_out_on_their_next_request(client):
    officer = factories.officer()
    client.force_login(officer)
    assert client.get(MY_TRAINING).status_code == 200
    officer.is_active = False
    officer.save()
    response = client.get(MY_TRAINING)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def _sign_in(officer, agent):
    browser = Client(HTTP_USER_AGENT=agent)
    response = browser.post(
        reverse("account_login"), {"login": officer.email, "password": "pw-test-1234"}
    )
    assert response.status_code == 302
    return browser


def test_an_officer_sees_and_ends_their_other_sessions():
    officer = factories.officer()
    laptop = _sign_in(officer, "Laptop browser")
    phone = _sign_in(officer, "Phone browser")
    assert UserSession.objects.filter(user=officer).count() == 2

    listing = laptop.get(reverse("usersessions_list"))
    assert listing.status_code == 200
    assert "Phone browser" in listing.content.decode()
    assert "Laptop browser" in listing.content.decode()

    assert phone.get(MY_TRAINING).status_code == 200
    response = laptop.post(reverse("usersessions_list"))
    assert response.status_code == 302
    # The phone is signed out; the laptop that ended it is not.
    assert phone.get(MY_TRAINING).status_code == 302
    assert laptop.get(MY_TRAINING).status_code == 200
    assert UserSession.objects.filter(user=officer).count() == 1


def test_the_sessions_page_is_linked_from_the_profile_and_needs_sign_in(client):
    assert client.get(reverse("usersessions_list")).status_code == 302
    client.force_login(factories.officer())
    profile = client.get(reverse("attendees:profile")).content.decode()
    assert reverse("usersessions_list") in profile
    assert reverse("mfa_index") in profile
