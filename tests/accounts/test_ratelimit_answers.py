"""Every limit answers 429 with Retry-After, and the per-account failed-login limit counts per
the site's canonical host (MUSTER_SITE_HOST), whatever Host header the client sends."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

HOSTS = ["testserver", "testserver:8000", "testserver:443", "127.0.0.1:8001", "app2.internal"]


def _login(client, host, password="wrong-pass", address="10.0.0.1"):
    return client.post(
        reverse("account_login"),
        {"login": "x@test.example", "password": password},
        HTTP_HOST=host,
        REMOTE_ADDR=address,
    )


def test_varying_the_host_port_does_not_buy_more_failed_logins(client, settings):
    factories.user(email="x@test.example")
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed": "100/m/ip,3/5m/key",
    }
    for host in HOSTS[:3]:
        assert _login(client, host).status_code == 200  # a wrong password, counted
    # Every other name or port of the same site, and from another address, is already spent.
    for n, host in enumerate(HOSTS):
        refused = _login(client, host, address=f"10.0.1.{n}")
        assert refused.status_code == 429, host
        assert refused["Retry-After"] == "300"


def test_the_key_is_the_configured_host_not_the_request(rf, settings):
    from accounts.adapter import AccountAdapter

    settings.MUSTER_SITE_HOST = "training.example.org"
    keys = {
        AccountAdapter()._get_login_attempts_cache_key(
            rf.post("/", HTTP_HOST=host), email="X@Test.example"
        )
        for host in HOSTS
    }
    assert keys == {"training.example.org:x@test.example"}


@pytest.mark.parametrize(
    "action,url_name,data,retry_after",
    [
        ("login", "account_login", {"login": "a@test.example", "password": "x"}, "60"),
        ("signup", "account_signup", {"email": "bad"}, "60"),
        ("reset_password", "account_reset_password", {"email": "a@test.example"}, "120"),
    ],
)
def test_allauth_limits_answer_429_with_retry_after(
    client, settings, action, url_name, data, retry_after
):
    rate = "1/2m/ip" if action == "reset_password" else "1/m/ip"
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, action: rate}
    client.post(reverse(url_name), data)
    refused = client.post(reverse(url_name), data)
    assert refused.status_code == 429
    assert refused["Retry-After"] == retry_after


def test_project_limits_answer_429_with_retry_after(client, settings):
    settings.MUSTER_VERIFY_RATE_LIMIT = (1, 60)
    url = reverse("certificates:verify", kwargs={"code": "unknown-code"})
    client.get(url)
    refused = client.get(url)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
