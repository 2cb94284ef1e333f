"""Two-factor authentication is required of staff (accounts/mfa.py, accounts/middleware.py)."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client
from django.urls import reverse

from accounts import roles
from tests import factories

pytestmark = pytest.mark.django_db

STAFF_ROLES = [roles.TRAINER, roles.PROGRAMME_LEAD, roles.EDITOR]


def _password_login(client, user, password="pw-test-1234"):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


def _reauthenticate(client, password="pw-test-1234"):
    # allauth asks for the password again before authenticators are added or removed.
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302


def _staff_session_page(trainer):
    session = factories.session()
    session.trainers.add(trainer)
    return reverse("training_sessions:roll_call", args=[session.reference])


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_without_mfa_are_sent_to_set_it_up_from_the_admin(client, role):
    client.force_login(factories.user(role=role, mfa=False))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")


def test_a_superuser_without_mfa_is_sent_to_set_it_up(client):
    client.force_login(factories.user(is_superuser=True, is_staff=True, mfa=False))
    assert client.get("/admin/")["Location"] == reverse("mfa_index")


def test_a_trainer_without_mfa_is_sent_to_set_it_up_from_a_staff_view(client):
    trainer = factories.trainer(mfa=False)
    url = _staff_session_page(trainer)
    client.force_login(trainer)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")


def test_a_trainer_without_mfa_after_a_real_password_login_is_sent_to_set_it_up(client):
    trainer = factories.trainer(mfa=False)
    response = _password_login(client, trainer)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session  # signed in, but held at the set-up page
    assert client.get("/admin/")["Location"] == reverse("mfa_index")


def test_the_set_up_pages_and_sign_out_stay_open_to_staff_without_mfa(client):
    client.force_login(factories.trainer(mfa=False))
    assert client.get(reverse("mfa_index")).status_code == 200
    _reauthenticate(client)
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def _code_for_secret(secret):
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    if 30 - time.time() % 30 < 4:
        time.sleep(30 - time.time() % 30 + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


# Transactional: allauth announces the new authenticator on commit, inside the request, and that
# is when the session is marked as having passed the second factor.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_setting_up_totp_opens_the_admin(client):
    trainer = factories.trainer(mfa=False)
    _password_login(client, trainer)
    _reauthenticate(client)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    assert client.get("/admin/").status_code == 302
    response = client.post(reverse("mfa_activate_totp"), {"code": _code_for_secret(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=trainer, type="totp").exists()
    assert client.get("/admin/").status_code == 200


def test_login_of_an_enrolled_trainer_asks_for_the_code_then_opens_the_admin(client):
    trainer = factories.trainer()
    response = _password_login(client, trainer)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not signed in before the second factor
    assert client.get("/admin/").status_code == 302
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200  # a wrong code: the form again
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": factories.totp_code(trainer)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_used_totp_code_is_refused_a_second_time(client):
    trainer = factories.trainer()
    code = factories.totp_code(trainer)
    _password_login(client, trainer)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert client.get("/admin/").status_code == 200

    replay = Client()
    _password_login(replay, trainer)
    response = replay.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200
    assert "_auth_user_id" not in replay.session
    assert replay.get("/admin/").status_code == 302


def test_a_recovery_code_signs_in_once(client):
    trainer = factories.trainer()
    rc = Authenticator.objects.get(user=trainer, type=Authenticator.Type.RECOVERY_CODES)
    code = RecoveryCodes(rc).get_unused_codes()[0]
    _password_login(client, trainer)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert client.get("/admin/").status_code == 200

    again = Client()
    _password_login(again, trainer)
    assert again.post(reverse("mfa_authenticate"), {"code": code}).status_code == 200
    assert "_auth_user_id" not in again.session


def test_an_enrolled_staff_session_that_skipped_the_second_factor_is_asked_for_it(client):
    trainer = factories.trainer()
    plain = Client()  # force_login of Django's own client records no second factor
    plain.force_login(trainer)
    response = plain.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    response = plain.post(
        response["Location"], {"code": factories.totp_code(trainer)}, follow=False
    )
    assert response.status_code == 302
    assert plain.get("/admin/").status_code == 200


def test_removing_the_last_authenticator_sends_staff_back_to_set_up(client):
    trainer = factories.trainer()
    client.force_login(trainer)
    assert client.get("/admin/").status_code == 200
    totp = Authenticator.objects.get(user=trainer, type=Authenticator.Type.TOTP)
    _reauthenticate(client)
    response = client.post(reverse("mfa_deactivate_totp"), {"code": factories.totp_code(trainer)})
    assert response.status_code == 302
    assert not Authenticator.objects.filter(pk=totp.pk).exists()
    assert client.get("/admin/")["Location"] == reverse("mfa_index")


def test_officers_are_not_forced_to_use_mfa(client):
    officer = factories.officer()
    client.force_login(officer)
    assert client.get(reverse("my_training:index")).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200  # but they may enable it


def test_webauthn_security_keys_can_be_added_by_staff(client):
    trainer = factories.trainer()
    client.force_login(trainer)
    _reauthenticate(client)
    assert client.get(reverse("mfa_add_webauthn")).status_code == 200
