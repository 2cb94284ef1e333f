"""The sign-up journey in pieces: the form, the not-listed request, the pending profile, and
e-mail confirmation verifying (or not) from the domain."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts import roles
from attendees.forms import NOT_LISTED, OfficerSignupForm
from attendees.models import AgencyRequest, Jurisdiction, OfficerProfile
from tests import factories

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def hkpf():
    return factories.agency(name="Hong Kong Police Force", domain="hkpf.example")


def signup_data(**overrides):
    data = {
        "email": "jo@hkpf.example",
        "password1": "a-long-pass-phrase-42",
        "password2": "a-long-pass-phrase-42",
        "first_name": "Jo",
        "last_name": "Chan",
        "rank": "Inspector",
        "agency": "",
    }
    data.update(overrides)
    return data


def confirm_from_outbox(client, mailoutbox):
    link = re.search(r"https?://testserver(/accounts/confirm-email/[^\s]+)", mailoutbox[-1].body)
    assert link, mailoutbox[-1].body
    return client.post(link.group(1))


def test_agencies_are_offered_grouped_by_country_with_not_listed_first(hkpf):
    factories.agency(name="Royal Thai Police", country="TH")
    choices = OfficerSignupForm().fields["agency"].choices
    groups = [label for label, _options in choices[1:]]
    assert str(groups[0]) == "Not in this list"
    assert "Hong Kong" in groups and "Thailand" in groups
    hk = dict(choices)["Hong Kong"]
    assert (str(hkpf.pk), "Hong Kong Police Force") in hk


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"agency": ""}, "agency"),
        ({"agency": "999999"}, "agency"),
        ({"first_name": ""}, "first_name"),
        ({"agency": NOT_LISTED}, "request_name"),
        ({"agency": NOT_LISTED, "request_name": "X"}, "request_country"),
        (
            {"agency": NOT_LISTED, "request_name": "X", "request_domain": "not a domain"},
            "request_domain",
        ),
    ],
)
def test_signup_refuses_incomplete_input_and_writes_nothing(client, hkpf, overrides, field):
    data = signup_data(agency=str(hkpf.pk))
    data.update(overrides)
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not User.objects.filter(email="jo@hkpf.example").exists()


def test_signup_creates_a_pending_officer_then_confirmation_verifies_on_the_agency_domain(
    client, hkpf, mailoutbox
):
    response = client.post(reverse("account_signup"), signup_data(agency=str(hkpf.pk)))
    assert response.status_code == 302
    user = User.objects.get(email="jo@hkpf.example")
    assert (user.first_name, user.last_name) == ("Jo", "Chan")
    assert user.groups.filter(name=roles.OFFICER).exists()
    profile = user.officer_profile
    assert (profile.agency, profile.rank, profile.verification) == (hkpf, "Inspector", "pending")

    response = confirm_from_outbox(client, mailoutbox)
    assert response.status_code == 302
    assert response["Location"] == reverse("attendees:profile")
    profile.refresh_from_db()
    assert profile.verification == OfficerProfile.Verification.VERIFIED
    page = client.get(reverse("attendees:profile"))
    assert 'data-verification="verified"' in page.content.decode()


def test_confirmation_from_a_private_address_stays_pending(client, hkpf, mailoutbox):
    client.post(
        reverse("account_signup"), signup_data(email="jo@mail.example", agency=str(hkpf.pk))
    )
    confirm_from_outbox(client, mailoutbox)
    profile = OfficerProfile.objects.get(user__email="jo@mail.example")
    assert profile.verification == OfficerProfile.Verification.PENDING
    page = client.get(reverse("attendees:profile")).content.decode()
    assert 'data-verification="pending"' in page
    assert "checks your sign-up by hand" in page


def test_not_listed_records_a_request_the_leads_see(client, mailoutbox):
    data = signup_data(
        email="jo@atlantis.example",
        agency=NOT_LISTED,
        request_name="Atlantis Cyber Police",
        request_country=str(Jurisdiction.objects.get(code="TH").pk),
        request_website="atlantis.example",
        request_domain="@Atlantis.example",
        request_note="We investigate scams.",
    )
    assert client.post(reverse("account_signup"), data).status_code == 302
    request = AgencyRequest.objects.get()
    assert request.name == "Atlantis Cyber Police"
    assert request.country.code == "TH"
    assert request.email_domain == "atlantis.example"
    assert request.website == "https://atlantis.example"
    assert request.status == AgencyRequest.Status.OPEN
    profile = request.officer
    assert profile.user.email == "jo@atlantis.example"
    assert profile.agency is None and profile.verification == "pending"
    confirm_from_outbox(client, mailoutbox)
    profile.refresh_from_db()
    assert profile.verification == "pending"
    page = client.get(reverse("attendees:profile")).content.decode()
    assert "Requested: Atlantis Cyber Police" in page
