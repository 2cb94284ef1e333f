"""Rate limits: allauth's on sign-in, sign-up and password reset, and the project's own
(accounts/ratelimit.py) on certificate checks, QR check-in and personal calendar feeds."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts import ratelimit
from sessions.schedule import services as schedule_services
from tests import factories

pytestmark = pytest.mark.django_db

TOO_MANY = "You have sent too many requests in a short time"


def _login(client, **extra):
    return client.post(
        reverse("account_login"), {"login": "x@test.example", "password": "wrong-pass"}, **extra
    )


def test_the_login_form_answers_429_after_the_limit(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    for _ in range(3):
        assert _login(client).status_code == 200
    refused = _login(client)
    assert refused.status_code == 429
    assert TOO_MANY in refused.content.decode()


def test_failed_logins_for_one_address_are_limited_even_from_many_clients(client, settings):
    factories.user(email="x@test.example")
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "2/5m/key"}
    for n in range(2):
        assert _login(client, REMOTE_ADDR=f"10.0.0.{n}").status_code == 200
    response = _login(client, REMOTE_ADDR="10.0.0.99")
    # 429 with Retry-After, as every limit (README): not allauth's form error.
    assert response.status_code == 429
    assert response["Retry-After"] == "300"
    assert TOO_MANY in response.content.decode()
    # Even the right password is refused while the address is locked.
    right = client.post(
        reverse("account_login"), {"login": "x@test.example", "password": "pw-test-1234"}
    )
    assert "_auth_user_id" not in client.session
    assert right.status_code == 429


def test_sign_up_answers_429_after_the_limit(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
    for _ in range(2):
        assert client.post(reverse("account_signup"), {"email": "bad"}).status_code == 200
    refused = client.post(reverse("account_signup"), {"email": "bad"})
    assert refused.status_code == 429
    assert TOO_MANY in refused.content.decode()


def test_password_reset_answers_429_after_the_limit(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "2/m/ip"}
    url = reverse("account_reset_password")
    for n in range(2):
        assert client.post(url, {"email": f"p{n}@test.example"}).status_code == 302
    assert client.post(url, {"email": "p9@test.example"}).status_code == 429


# --- Where the client address comes from


def _request(**meta):
    return RequestFactory().get("/", **meta)


def test_a_spoofed_forwarded_for_is_ignored_without_a_trusted_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None
    request = _request(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert ratelimit.client_ip(request) == "203.0.113.7"


def test_the_address_added_by_our_own_proxy_is_used(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    # The client wrote the first entry itself; our proxy appended the real address.
    request = _request(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7")
    assert ratelimit.client_ip(request) == "203.0.113.7"


def test_a_configured_client_ip_header_is_used(settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    request = _request(
        REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.4"
    )
    assert ratelimit.client_ip(request) == "203.0.113.7"


@pytest.fixture
def certificate_url():
    return reverse("certificates:verify", kwargs={"code": "unknown-code"})


def test_verification_counts_spoofed_forwarded_for_as_one_client(client, settings, certificate_url):
    settings.MUSTER_VERIFY_RATE_LIMIT = (2, 60)
    for n in range(2):
        client.get(certificate_url, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    refused = client.get(certificate_url, HTTP_X_FORWARDED_FOR="198.51.100.77")
    assert refused.status_code == 429


def test_verification_counts_per_client_behind_a_trusted_proxy(client, settings, certificate_url):
    settings.MUSTER_VERIFY_RATE_LIMIT = (2, 60)
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(2):
        client.get(certificate_url, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert (
        client.get(certificate_url, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy).status_code == 429
    )
    # Another client behind the same proxy has its own count.
    assert (
        client.get(certificate_url, HTTP_X_FORWARDED_FOR="203.0.113.8", **proxy).status_code == 404
    )


def test_the_count_lives_in_the_configured_cache(client, settings, certificate_url):
    """Not in the process: every app server sharing the cache (Redis) shares the count."""
    from django.core.cache import cache

    settings.MUSTER_VERIFY_RATE_LIMIT = (1, 60)
    client.get(certificate_url)
    assert client.get(certificate_url).status_code == 429
    cache.clear()
    assert client.get(certificate_url).status_code == 404


# --- QR check-in and personal feeds


def test_qr_check_in_is_limited_per_officer(client, settings):
    settings.MUSTER_CHECKIN_RATE_LIMIT = (2, 60)
    session = factories.session()
    day = session.days.get()
    url = reverse("training_sessions:checkin", args=[session.reference, day.date.isoformat()])
    officer = factories.officer()
    client.force_login(officer)
    for _ in range(2):
        assert client.get(url, {"code": "guess"}).status_code == 400
    refused = client.get(url, {"code": "guess"})
    assert refused.status_code == 429
    assert TOO_MANY in refused.content.decode()
    assert refused["Retry-After"] == "60"
    # A classmate on the same network is not held back.
    client.force_login(factories.officer())
    assert client.get(url, {"code": "guess"}).status_code == 400


def test_a_personal_feed_is_limited_per_token(client, settings):
    settings.MUSTER_FEED_RATE_LIMIT = (2, 3600)
    mine = schedule_services.feed_token_for(user=factories.officer())
    other = schedule_services.feed_token_for(user=factories.officer())
    for _ in range(2):
        assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(mine.get_absolute_url()).status_code == 429
    assert client.get(other.get_absolute_url()).status_code == 200


def test_personal_feeds_are_limited_per_address(client, settings):
    settings.MUSTER_FEED_IP_RATE_LIMIT = (2, 3600)
    urls = [
        schedule_services.feed_token_for(user=factories.officer()).get_absolute_url()
        for _ in range(3)
    ]
    assert [client.get(url).status_code for url in urls] == [200, 200, 429]
    assert client.get(urls[2], REMOTE_ADDR="10.0.0.9").status_code == 200
