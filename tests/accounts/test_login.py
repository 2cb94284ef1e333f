import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_admin_login_url_redirects_to_the_one_login_form(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/admin/"


def test_a_correct_password_posted_to_the_admin_login_signs_nobody_in(client):
    factories.user(email="lead@test.example", password="right-pass-123", role="Programme lead")
    client.post("/admin/login/", {"username": "lead@test.example", "password": "right-pass-123"})
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_the_admin_sends_anonymous_visitors_to_allauth(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_login_with_email_and_password(client):
    lead = factories.user(
        email="lead@test.example", password="right-pass-123", role="Programme lead"
    )
    response = client.post(
        reverse("account_login"), {"login": "LEAD@test.example", "password": "right-pass-123"}
    )
    assert response.status_code == 302
    # Staff pass allauth's second step (tests/accounts/test_mfa.py) before the admin opens.
    assert response["Location"] == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": factories.totp_code(lead)})
    assert client.get("/admin/").status_code == 200


def test_an_unverified_address_cannot_sign_in(client, mailoutbox):
    factories.user(email="new@test.example", password="right-pass-123", verified_email=False)
    response = client.post(
        reverse("account_login"), {"login": "new@test.example", "password": "right-pass-123"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert len(mailoutbox) == 1  # a new confirmation link is sent


def test_officers_are_refused_the_admin(client):
    officer = factories.officer()
    client.force_login(officer)
    response = client.get("/admin/")
    assert response.status_code in (302, 403)
    assert "_auth_user_id" in client.session


def test_password_reset_does_not_reveal_who_has_an_account(client, mailoutbox):
    factories.user(email="known@test.example")
    known = client.post(reverse("account_reset_password"), {"email": "known@test.example"})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@test.example"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_a_correct_password_and_code_posted_to_the_admin_login_sign_nobody_in(client):
    lead = factories.user(
        email="lead@test.example", password="right-pass-123", role="Programme lead"
    )
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": lead.email, "password": "right-pass-123", "code": factories.totp_code(lead)},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_the_admin_has_no_password_reset_form_of_its_own(client, mailoutbox):
    # allauth's reset form (with its rate limits) is the only one.
    assert client.get("/admin/password_reset/").status_code == 404
    factories.user(email="lead@test.example", role="Programme lead")
    client.post("/admin/password_reset/", {"email": "lead@test.example"})
    assert mailoutbox == []


def test_djangos_own_admin_is_not_mounted(client):
    from django.conf import settings

    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    # An unknown address is tried under the language prefix, where it is not found either.
    assert client.get("/django-admin/login/", follow=True).status_code == 404
