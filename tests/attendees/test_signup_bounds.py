"""Sign-up is one transaction, every field is bounded by the column it is stored in, and names
refuse control and text-direction characters: each refusal is a form error, never a 500."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from attendees import services
from attendees.forms import NOT_LISTED, NOTE_MAX_LENGTH
from attendees.models import AgencyRequest, Jurisdiction, OfficerProfile
from tests import factories

pytestmark = pytest.mark.django_db
User = get_user_model()


def not_listed(**overrides):
    data = {
        "email": "jo@unlisted.example",
        "password1": "a-long-pass-phrase-42",
        "password2": "a-long-pass-phrase-42",
        "first_name": "Jo",
        "last_name": "Chan",
        "rank": "Inspector",
        "agency": NOT_LISTED,
        "request_name": "Atlantis Cyber Police",
        "request_country": str(Jurisdiction.objects.get(code="HK").pk),
        "request_website": "https://police.example",
        "request_domain": "police.example",
        "request_note": "We investigate exchanges.",
    }
    data.update(overrides)
    return data


def refused(client, data, field):
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert not User.objects.filter(email=data["email"]).exists()
    assert not AgencyRequest.objects.exists()
    return response.context["form"].errors[field]


def test_the_not_listed_request_is_stored_when_everything_fits(client):
    response = client.post(reverse("account_signup"), not_listed())
    assert response.status_code == 302
    request = AgencyRequest.objects.get()
    assert request.website == "https://police.example"


def test_a_256_character_agency_website_is_a_form_error_not_an_orphan_account(client):
    website = "https://police.example/" + "a" * (256 - len("https://police.example/"))
    assert len(website) == 256
    refused(client, not_listed(request_website=website), "request_website")


@pytest.mark.parametrize(
    "field,length",
    [
        ("request_name", 201),
        ("request_note", NOTE_MAX_LENGTH + 1),
        ("first_name", 151),
        ("last_name", 151),
        ("rank", 121),
    ],
)
def test_every_field_is_bounded_by_its_column(client, field, length):
    refused(client, not_listed(**{field: "x" * length}), field)


@pytest.mark.parametrize(
    "char", ["\u202e", "\u202d", "\u2066", "\u200f", "\x1b", "\x07", "\n", "\t"]
)
@pytest.mark.parametrize("field", ["first_name", "last_name", "rank", "request_name"])
def test_names_refuse_control_and_direction_characters(client, field, char):
    errors = refused(client, not_listed(**{field: f"Jo{char}nahC"}), field)
    assert "control or text-direction character" in errors[0]


def test_names_in_any_script_are_accepted(client):
    # Thai, Korean and a zero-width joiner (some scripts need it) are letters, not controls.
    data = not_listed(first_name="สมชาย", last_name="김\u200d민준")
    assert client.post(reverse("account_signup"), data).status_code == 302
    assert User.objects.get(email="jo@unlisted.example").first_name == "สมชาย"


def test_a_failure_after_the_user_is_created_leaves_no_account(monkeypatch):
    """Whatever fails half-way (here the profile service), the person can sign up again."""

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "sign_up_officer", broken)
    client = Client(raise_request_exception=False)
    response = client.post(reverse("account_signup"), not_listed())
    assert response.status_code == 500
    assert not User.objects.filter(email="jo@unlisted.example").exists()
    assert not OfficerProfile.objects.exists()
    monkeypatch.undo()
    response = client.post(reverse("account_signup"), not_listed())
    assert response.status_code == 302
    assert OfficerProfile.objects.get().user.email == "jo@unlisted.example"


def test_a_profile_rank_with_a_direction_override_is_refused(client):
    officer = factories.officer()
    client.force_login(officer)
    response = client.post(reverse("attendees:profile"), {"rank": "Chief\u202eInspector"})
    assert response.status_code == 200
    officer.officer_profile.refresh_from_db()
    assert officer.officer_profile.rank == ""
