"""Times follow the profile's zone: My training and the registration e-mail add the officer's
own time when it differs from the session's; pages of a signed-in person render in it."""

import datetime
import zoneinfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone, translation
from django.utils.formats import time_format

from accounts.middleware import ProfileTimeZoneMiddleware
from accounts.zones import zone_for
from sessions.registration import services as registration_services
from tests import factories

pytestmark = pytest.mark.django_db

SOON = datetime.date.today() + datetime.timedelta(days=10)


def london_session():
    # 09:00 to 17:00 in London is 16:00 or 17:00 to midnight or 01:00 in Hong Kong.
    return factories.session(
        time_zone="Europe/London", days=[(SOON, datetime.time(9), datetime.time(17))]
    )


def local_start(session, zone):
    """The first day's start time as the English pages write it, in `zone`."""
    start = session.days.get().starts_at.astimezone(zoneinfo.ZoneInfo(zone))
    with translation.override("en"):
        return time_format(start.time(), "TIME_FORMAT")


def hk_times(session):
    return local_start(session, "Asia/Hong_Kong")


@pytest.mark.parametrize(
    ("zone", "shows_own"),
    [("Asia/Hong_Kong", True), ("Europe/London", False), ("", False), ("Mars/Olympus", False)],
)
def test_my_training_adds_the_officers_own_time_only_when_their_zone_differs(
    client, zone, shows_own
):
    officer = factories.officer(time_zone=zone)
    session = london_session()
    factories.registration(session_obj=session, officer_obj=officer)
    client.force_login(officer)
    body = client.get("/en/my-training/").content.decode()
    assert local_start(session, "Europe/London") in body and "(Europe/London)" in body
    assert ("your time" in body) is shows_own
    if shows_own:
        assert "your time: " in body and hk_times(session) in body and "(Asia/Hong_Kong)" in body


def test_the_registration_email_gives_the_officers_own_time(django_capture_on_commit_callbacks):
    officer = factories.officer(time_zone="Asia/Hong_Kong")
    session = london_session()
    with django_capture_on_commit_callbacks(execute=True):
        registration_services.register(session=session, officer=officer, acting_user=officer)
    (message,) = mail.outbox
    assert (
        local_start(session, "Europe/London") in message.body and "(Europe/London)" in message.body
    )
    assert "your time: " in message.body and hk_times(session) in message.body


def test_a_signed_in_persons_pages_render_in_their_zone_and_anonymous_ones_in_utc(client):
    seen = {}

    def view(request):
        seen["zone"] = timezone.get_current_timezone_name()
        return HttpResponse()

    officer = factories.officer(time_zone="Asia/Bangkok")
    request = RequestFactory().get("/")
    request.user = officer
    ProfileTimeZoneMiddleware(view)(request)
    assert seen["zone"] == "Asia/Bangkok"
    assert timezone.get_current_timezone_name() == "UTC"  # reset after the response
    request.user = AnonymousUser()
    ProfileTimeZoneMiddleware(view)(request)
    assert seen["zone"] == "UTC"


def test_an_unknown_stored_zone_counts_as_none():
    assert zone_for(factories.officer(time_zone="Not/AZone")) == ""
    assert zone_for(factories.officer(time_zone="Asia/Seoul")) == "Asia/Seoul"
