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
    response = client.post(
        URL, {"last_name": "Chan", "rank": "Chief Inspector", "time_zone": "Asia/Hong_Kong"}
    )
    assert response.status_code == 302
    me.refresh_from_db()
    assert me.time_zone == "Asia/Hong_Kong"
    assert me.officer_profile.rank == "Chief Inspector"


def test_an_unknown_time_zone_is_refused_and_nothing_is_written(client):
    me = factories.officer()
    client.force_login(me)
    response = client.post(URL, {"last_name": "Chan", "rank": "Chief", "time_zone": "Mars/Olympus"})
    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
    me.refresh_from_db()
    assert me.time_zone == "" and me.officer_profile.rank == ""


def test_the_header_links_officers_to_their_profile(client):
    client.force_login(factories.officer())
    assert URL in client.get("/en/courses/").content.decode()


def test_an_officer_corrects_their_name_and_puts_the_family_name_first(client):
    """The name prints on certificates: the officer fixes it, order included; audited."""
    from audit.models import AuditEntry

    me = factories.officer(first_name="Tai Man", last_name="Chen")
    client.force_login(me)
    page = client.get(URL).content.decode()
    assert 'value="Tai Man"' in page and 'value="Chen"' in page
    response = client.post(
        URL, {"first_name": "Tai Man", "last_name": "Chan", "family_name_first": "on"}
    )
    assert response.status_code == 302
    me.refresh_from_db()
    assert me.get_full_name() == "Chan Tai Man"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.NAME_CORRECTED)
    assert entry.subject_id == me.pk
    assert entry.before["last_name"] == "Chen" and entry.after["family_name_first"] is True
    # Given name first again: the usual order.
    client.post(URL, {"first_name": "Tai Man", "last_name": "Chan"})
    me.refresh_from_db()
    assert me.get_full_name() == "Tai Man Chan"


@pytest.mark.parametrize(
    "data",
    [
        {"first_name": "", "last_name": "  "},
        {"first_name": "Tai\u202eMan", "last_name": "Chan"},
        {"first_name": "Tai Man", "last_name": "Ch\nan"},
    ],
)
def test_a_blank_name_or_control_characters_are_refused_and_nothing_is_written(client, data):
    from audit.models import AuditEntry

    me = factories.officer(first_name="Tai Man", last_name="Chan")
    client.force_login(me)
    response = client.post(URL, data)
    assert response.status_code == 200 and response.context["form"].errors
    me.refresh_from_db()
    assert (me.first_name, me.last_name) == ("Tai Man", "Chan")
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.NAME_CORRECTED).exists()


def test_nobody_corrects_someone_elses_name_through_the_service():
    from django.core.exceptions import ValidationError

    from attendees import services

    me, other = factories.officer(last_name="Chan"), factories.officer(last_name="Lee")
    with pytest.raises(ValidationError):
        services.correct_own_name(
            user=other, first_name="X", last_name="Y", family_name_first=False, acting_user=me
        )
    other.refresh_from_db()
    assert other.last_name == "Lee"


def test_a_pending_officer_is_shown_how_to_verify_with_an_agency_address(client):
    agency = factories.agency(domain="police.example")
    me = factories.officer(agency_obj=agency, verified=False, email="me@gmail.example")
    client.force_login(me)
    page = client.get(URL).content.decode()
    assert reverse("account_email") in page and "police.example" in page
    # A verified officer is not told to do it.
    verified = factories.officer(agency_obj=agency)
    client.force_login(verified)
    assert reverse("account_email") not in client.get(URL).content.decode()
