"""Redis down (a cache at a closed port): pages keep serving from the database, and actions
whose rate limit cannot be counted are refused with 503 and Retry-After, never run unlimited."""

import socket

import pytest
from django.core.cache import cache
from django.urls import reverse

from muster import cache as muster_cache
from tests import factories

pytestmark = pytest.mark.django_db


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the probe is


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "muster.cache.FailSoftRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    assert cache.get("anything", "fallback") == "fallback"  # answers as a miss
    assert muster_cache.unavailable()


def test_the_cache_answers_misses_and_refuses_to_count(redis_down):
    assert cache.add("k", 1) is False
    assert cache.set("k", 1) is False
    assert cache.get_many(["k"]) == {}
    with pytest.raises(ValueError):
        cache.incr("k")


def test_pages_keep_serving(client, redis_down):
    session = factories.session()
    for url in ["/en/", reverse("training_sessions:upcoming"), session.get_absolute_url()]:
        assert client.get(url).status_code == 200, url
    officer = factories.officer()
    client.force_login(officer)
    assert client.get(reverse("attendees:profile")).status_code == 200


def test_sign_in_is_refused_with_503_rather_than_counted_nowhere(client, redis_down):
    factories.user(email="x@test.example")
    response = client.post(
        reverse("account_login"), {"login": "x@test.example", "password": "pw-test-1234"}
    )
    assert response.status_code == 503
    assert response["Retry-After"] == str(muster_cache.OUTAGE_SECONDS)
    assert "_auth_user_id" not in client.session


def test_project_limits_refuse_with_503(client, redis_down):
    response = client.get(reverse("certificates:verify", kwargs={"code": "unknown-code"}))
    assert response.status_code == 503
    assert response["Retry-After"] == str(muster_cache.OUTAGE_SECONDS)


def test_the_cache_is_tried_again_after_the_outage_window(redis_down):
    from django.core.cache import caches

    caches["default"]._outage.until = 0  # the window has passed: the next call tries Redis
    assert not muster_cache.unavailable()
    assert cache.get("k") is None
    assert muster_cache.unavailable()
