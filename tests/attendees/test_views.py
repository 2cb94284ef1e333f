"""The officer's own profile page."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db
URL = "/accounts/profile/"


def test_url():
    assert reverse("attendees:profile") == URL


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ["Trainer", "Programme lead", "Editor", None])
def test_people_without_an_officer_profile_get_404(client, role):
    client.force_login(factories.user(role=role))
    assert client.get(URL).status_code == 404


def test_an_officer_sees_only_their_own_profile(client):
    agency = factories.agency(name="Royal Thai Police", country="TH")
    me = factories.officer(agency_obj=agency, verified=False, first_name="Somchai")
    other = factories.officer(first_name="Someone Else", email="else@test.example")
    client.force_login(me)
    page = client.get(URL).content.decode()
    assert "Somchai" in page and "Royal Thai Police" in page
    assert 'data-verification="pending"' in page
    assert "else@test.example" not in page and "Someone Else" not in page
    # The page takes no id: there is no way to address another officer's profile.
    assert client.get(URL + f"{other.officer_profile.pk}/", follow=True).status_code == 404


def test_a_rejected_officer_reads_the_reason(client):
    me = factories.officer(verified=False)
    profile = me.officer_profile
    profile.verification = "rejected"
    profile.rejection_reason = "Your address is a private one."
    profile.save()
    client.force_login(me)
    assert "Your address is a private one." in client.get(URL).content.decode()


def test_an_officer_edits_rank_and_time_zone(client):
    me = factories.officer()
    client.force_login(me)
    response = client.post(URL, {"rank": "Chief Inspector", "time_zone": "Asia/Hong_Kong"})
    assert response.status_code == 302
    me.refresh_from_db()
    assert me.time_zone == "Asia/Hong_Kong"
    assert me.officer_profile.rank == "Chief Inspector"


def test_an_unknown_time_zone_is_refused_and_nothing_is_written(client):
    me = factories.officer()
    client.force_login(me)
    response = client.post(URL, {"rank": "Chief", "time_zone": "Mars/Olympus"})
    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
    me.refresh_from_db()
    assert me.time_zone == "" and me.officer_profile.rank == ""


def test_the_header_links_officers_to_their_profile(client):
    client.force_login(factories.officer())
    assert URL in client.get("/en/courses/").content.decode()
