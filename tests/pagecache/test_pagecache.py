"""The page cache: anonymous GET pages come from the shared cache until something they show
changes; nothing personal is ever stored or served from it."""

import re

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from pagecache import middleware, versions
from sessions.registration import services as registration_services
from tests import factories

pytestmark = pytest.mark.django_db
HIT = "X-Page-Cache"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.MUSTER_PAGE_CACHE = True
    cache.clear()


def _detail(session):
    return reverse("training_sessions:detail", args=[session.reference])


def _seats(response):
    match = re.search(rb"Seats left</dt><dd>(\d+)</dd>", response.content)
    assert match, "the page shows no seats left"
    return int(match.group(1))


def test_second_anonymous_request_is_a_hit_without_a_query(client, django_assert_num_queries):
    session = factories.session(capacity=5)
    first = client.get(_detail(session))
    assert first.status_code == 200
    assert HIT not in first
    with django_assert_num_queries(0):
        second = client.get(_detail(session))
    assert second[HIT] == "hit"
    assert second.content.replace(b" ", b"")[:200] == first.content.replace(b" ", b"")[:200]


@pytest.mark.parametrize(
    "url",
    [
        lambda s: reverse("training_sessions:upcoming"),
        lambda s: reverse("training_sessions:upcoming") + "?delivery=online",
        lambda s: "/en/",
        lambda s: "/en/courses/",
        lambda s: s.course.url,
        lambda s: reverse("certificates:verify_form"),
    ],
)
def test_listed_pages_are_cached(client, url):
    target = url(factories.session())
    assert client.get(target).status_code == 200
    assert client.get(target)[HIT] == "hit"


def test_key_holds_language_and_query(client):
    session = factories.session()
    english = client.get(f"/en/sessions/{session.reference}/")
    assert client.get(f"/en/sessions/{session.reference}/")[HIT] == "hit"
    thai = client.get(f"/th/sessions/{session.reference}/")
    assert HIT not in thai
    assert thai.content != english.content
    assert HIT not in client.get(f"/en/sessions/{session.reference}/?tz=Asia/Tokyo")


def test_each_hit_carries_its_own_csp_nonce_in_header_and_page(client):
    session = factories.session()
    nonces = []
    for _ in range(3):
        response = client.get(_detail(session))
        header = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        assert f'nonce="{header}"'.encode() in response.content
        assert middleware.NONCE_PLACEHOLDER not in response.content
        nonces.append(header)
    assert len(set(nonces)) == 3


def test_registration_shows_new_seats_left_on_the_next_request(
    client, django_capture_on_commit_callbacks
):
    session = factories.session(capacity=5)
    assert _seats(client.get(_detail(session))) == 5
    assert client.get(_detail(session))[HIT] == "hit"
    officer = factories.officer()
    with django_capture_on_commit_callbacks(execute=True):
        registration_services.register(session=session, officer=officer, acting_user=officer)
    after = client.get(_detail(session))
    assert HIT not in after
    assert _seats(after) == 4


def test_without_the_bump_the_page_would_be_stale(client, monkeypatch):
    """The refusal edge: the version is what makes the page fresh (this test fails if the cache
    stopped caching, or keyed on the data itself)."""
    session = factories.session(capacity=5)
    assert _seats(client.get(_detail(session))) == 5
    monkeypatch.setattr(versions, "bump", lambda using=None: None)
    monkeypatch.setattr("pagecache.signals.bump", lambda using=None: None)
    factories.registration(session_obj=session)
    assert _seats(client.get(_detail(session))) == 5


def test_bump_waits_for_commit(client, django_capture_on_commit_callbacks, monkeypatch):
    session = factories.session(capacity=5)
    client.get(_detail(session))
    before = versions.current()
    with django_capture_on_commit_callbacks(execute=True):
        factories.registration(session_obj=session)
        factories.registration(session_obj=session)
        # Not committed yet: another request still gets the page of the committed data.
        assert client.get(_detail(session))[HIT] == "hit"
        assert versions.current() == before
        bumped = versions._bump_now
        calls = []
        monkeypatch.setattr(versions, "_bump_now", lambda: calls.append(1) or bumped())
    assert calls == [1]  # several writes, one bump
    assert versions.current() != before


def test_session_day_change_invalidates(client, django_capture_on_commit_callbacks):
    session = factories.session()
    client.get(_detail(session))
    day = session.days.get()
    with django_capture_on_commit_callbacks(execute=True):
        day.start_time = day.start_time.replace(hour=10)
        day.save()
    assert HIT not in client.get(_detail(session))


def test_unpublishing_a_course_page_invalidates(client, django_capture_on_commit_callbacks):
    session = factories.session()
    url = session.course.url
    assert client.get(url).status_code == 200
    assert client.get(url)[HIT] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        session.course.unpublish()
    assert client.get(url).status_code == 404


def test_signed_in_pages_are_never_stored_or_served_from_the_cache(client):
    session = factories.session()
    officer = factories.officer()
    client.force_login(officer)
    for _ in range(2):
        response = client.get(_detail(session))
        assert HIT not in response
        assert "private" in response["Cache-Control"]
        assert "no-store" in response["Cache-Control"]
    assert not [key for key in cache._cache if "pagecache:page:" in key]


def test_a_cached_anonymous_page_is_not_served_to_a_signed_in_person(client):
    session = factories.session()
    client.get(_detail(session))
    assert client.get(_detail(session))[HIT] == "hit"
    client.force_login(factories.officer())
    response = client.get(_detail(session))
    assert HIT not in response
    assert "no-store" in response["Cache-Control"]


def test_a_page_with_a_messages_cookie_is_not_served_from_the_cache(client):
    session = factories.session()
    client.get(_detail(session))
    client.cookies["messages"] = "something"
    assert HIT not in client.get(_detail(session))


def _request(path="/en/sessions/X/"):
    request = RequestFactory().get(path)
    request.resolver_match = type("Match", (), {"view_name": "training_sessions:detail"})()
    return request


def test_storable_refuses_responses_that_set_a_cookie_or_are_private():
    ok = HttpResponse("page")
    assert middleware.storable(_request(), ok)
    for name in ("sessionid", "messages", "django_language"):
        with_cookie = HttpResponse("page")
        with_cookie.set_cookie(name, "x")
        assert not middleware.storable(_request(), with_cookie)
    private = HttpResponse("page")
    private["Cache-Control"] = "private, no-store"
    assert not middleware.storable(_request(), private)
    other = _request()
    other.resolver_match.view_name = "account_login"
    assert not middleware.storable(other, HttpResponse("page"))
    assert not middleware.storable(_request(), HttpResponse("gone", status=404))


def test_disabled_cache_stores_nothing(client, settings):
    settings.MUSTER_PAGE_CACHE = False
    session = factories.session()
    client.get(_detail(session))
    assert HIT not in client.get(_detail(session))


def test_csrf_tokens_are_never_stored_and_each_hit_gets_a_working_one(settings):
    from django.test import Client

    session = factories.session()
    url = _detail(session)
    pattern = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
    tokens = []
    for _ in range(3):
        visitor = Client(enforce_csrf_checks=True)
        response = visitor.get(url)
        assert middleware.CSRF_PLACEHOLDER not in response.content
        token = pattern.search(response.content).group(1).decode()
        tokens.append(token)
        switched = visitor.post(
            reverse("language:set"),
            {"language": "th", "next": url, "csrfmiddlewaretoken": token},
        )
        assert switched.status_code == 302  # a token the visitor's own cookie accepts
    assert response[HIT] == "hit"
    assert len(set(tokens)) == 3
    for stored in (value for key, value in cache._cache.items() if "pagecache:page:" in key):
        import pickle

        content = pickle.loads(stored)[2]  # noqa: S301
        assert not any(token.encode() in content for token in tokens)


def test_a_page_with_a_stray_csrf_token_is_not_stored():
    request = _request()
    request.META["CSRF_COOKIE"] = "s" * 32
    assert middleware._without_secrets(request, b"<p>" + b"s" * 32 + b"</p>") is None
    assert middleware._without_secrets(request, b"<p>csrfmiddlewaretoken</p>") is None
    clean = middleware._without_secrets(
        request, b'<input name="csrfmiddlewaretoken" value="abc123">'
    )
    assert (
        clean == b'<input name="csrfmiddlewaretoken" value="' + middleware.CSRF_PLACEHOLDER + b'">'
    )
