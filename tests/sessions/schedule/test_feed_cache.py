"""Feeds built once per change: ETag and Last-Modified, 304 on a conditional GET without
building anything, a new ETag after a change; the personal feed the same per token."""

import pytest
from django.core.cache import cache

from sessions.schedule import services as schedule_services
from tests import factories

pytestmark = pytest.mark.django_db
PROGRAMME = "/calendar/programme.ics"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.MUSTER_PAGE_CACHE = True
    cache.clear()


def test_programme_feed_answers_304_to_a_matching_etag_without_a_query(
    client, django_assert_num_queries
):
    factories.session()
    first = client.get(PROGRAMME)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('"') and first["Last-Modified"]
    with django_assert_num_queries(0):
        again = client.get(PROGRAMME, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    with django_assert_num_queries(0):
        dated = client.get(PROGRAMME, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert dated.status_code == 304


def test_programme_feed_from_the_cache_without_a_query(client, django_assert_num_queries):
    factories.session()
    first = client.get(PROGRAMME)
    with django_assert_num_queries(0):
        second = client.get(PROGRAMME)
    assert second.status_code == 200
    assert second.content == first.content


def test_a_stale_etag_gets_the_whole_feed(client):
    factories.session()
    response = client.get(PROGRAMME, HTTP_IF_NONE_MATCH='"something-else"')
    assert response.status_code == 200
    assert b"BEGIN:VCALENDAR" in response.content


def test_a_change_gives_a_new_feed_and_etag(client, django_capture_on_commit_callbacks):
    session = factories.session()
    first = client.get(PROGRAMME)
    with django_capture_on_commit_callbacks(execute=True):
        schedule_services.bump_sequence(session=session)
    after = client.get(PROGRAMME, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]


def test_languages_have_their_own_feed(client):
    factories.session()
    english = client.get(PROGRAMME)
    thai = client.get(PROGRAMME + "?lang=th", HTTP_IF_NONE_MATCH=english["ETag"])
    assert thai.status_code == 200
    assert thai["ETag"] != english["ETag"]


def test_personal_feed_304_costs_only_the_token_check(client, django_assert_num_queries):
    officer = factories.officer()
    factories.registration(session_obj=factories.session(), officer_obj=officer)
    token = schedule_services.feed_token_for(user=officer)
    url = f"/calendar/{token.token}.ics"
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(1):
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert "no-store" in again["Cache-Control"]
    assert "private" in again["Cache-Control"]


def test_personal_feeds_are_kept_per_token(client):
    one, two = factories.officer(), factories.officer()
    factories.registration(session_obj=factories.session(reference="ONE-1"), officer_obj=one)
    factories.registration(session_obj=factories.session(reference="TWO-2"), officer_obj=two)
    feed_one = client.get(f"/calendar/{schedule_services.feed_token_for(user=one).token}.ics")
    feed_two = client.get(f"/calendar/{schedule_services.feed_token_for(user=two).token}.ics")
    assert b"ONE-1" in feed_one.content and b"TWO-2" not in feed_one.content
    assert b"TWO-2" in feed_two.content and b"ONE-1" not in feed_two.content


def test_regenerated_token_stops_the_cached_feed(client, django_capture_on_commit_callbacks):
    officer = factories.officer()
    token = schedule_services.feed_token_for(user=officer)
    url = f"/calendar/{token.token}.ics"
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        schedule_services.regenerate_feed_token(user=officer, acting_user=officer)
    assert client.get(url).status_code == 404
