"""With real commits (SQLite here, PostgreSQL under DATABASE_URL): the request right after a
registration commits shows the new seats left."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from sessions.registration import services as registration_services
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _seats(response):
    return int(re.search(rb"Seats left</dt><dd>(\d+)</dd>", response.content).group(1))


def test_next_request_after_a_committed_registration_shows_new_seats_left(client, settings):
    settings.MUSTER_PAGE_CACHE = True
    cache.clear()
    session = factories.session(capacity=3)
    url = reverse("training_sessions:detail", args=[session.reference])
    assert _seats(client.get(url)) == 3
    assert client.get(url)["X-Page-Cache"] == "hit"
    officer = factories.officer()
    registration_services.register(session=session, officer=officer, acting_user=officer)
    assert _seats(client.get(url)) == 2
    registration_services.cancel_registration(
        registration=session.registrations.get(), acting_user=officer
    )
    assert _seats(client.get(url)) == 3
