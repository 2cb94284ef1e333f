"""A signed-in officer who opens the admin is told it is for staff, instead of being sent to the
login form, which sent them straight back (a redirect loop)."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_signed_in_officer_opening_the_admin_is_told_it_is_for_staff(client):
    officer = factories.officer()
    client.force_login(officer)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 403
    assert b"The admin is for staff" in response.content
    assert reverse("my_training:index").encode() in response.content


def test_a_signed_in_officer_gets_403_from_any_admin_page(client):
    officer = factories.officer()
    client.force_login(officer)
    response = client.get(reverse("wagtailadmin_explore_root"))
    assert response.status_code == 403


def test_anonymous_visitors_are_still_sent_to_the_login_form(client):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_staff_still_reach_the_admin(client):
    lead = factories.lead()
    client.force_login(lead)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
