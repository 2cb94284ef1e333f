"""Calendar files and feeds: parsed back with icalendar they give the same instants; UIDs never
change; SEQUENCE rises on edit; cancelled sessions stay as cancelled; RFC 5545 bytes."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from sessions.calendar import build_calendar, day_uid
from sessions.models import TrainingSession
from sessions.schedule import services as schedule_services
from tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date
T = datetime.time
JOIN = "https://meet.example/secret-room"


def parse(content):
    return Calendar.from_ical(content)


def events(cal):
    return list(cal.walk("VEVENT"))


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return response.content


@pytest.fixture
def london_dst():
    """Two days either side of the October 2031 clock change in London."""
    return factories.session(
        reference="2031-GB-010",
        time_zone="Europe/London",
        city="London",
        venue="Training centre",
        country="GB",
        delivery="hybrid",
        join_url=JOIN,
        days=[(D(2031, 10, 24), T(9), T(17)), (D(2031, 10, 27), T(9), T(17))],
    )


def test_events_parse_back_to_the_same_instants_with_local_times(london_dst):
    tokyo = factories.session(
        reference="2031-JP-001",
        time_zone="Asia/Tokyo",
        days=[(D(2032, 1, 1), T(8), T(12))],
    )
    cal = parse(build_calendar([london_dst, tokyo], base_url="http://x", name="t").to_ical())
    by_uid = {str(e["UID"]): e for e in events(cal)}
    for session in (london_dst, tokyo):
        for day in session.days.all():
            event = by_uid[day_uid(session, day)]
            assert event.decoded("DTSTART") == day.starts_at
            assert event.decoded("DTEND") == day.ends_at
            assert event["DTSTART"].params["TZID"] == session.time_zone
    # Local 09:00 both sides of the clock change: 08:00 UTC in BST, 09:00 UTC in GMT.
    for date, utc_hour in (("2031-10-24", 8), ("2031-10-27", 9)):
        start = by_uid[day_uid(london_dst, london_dst.days.get(date=date))].decoded("DTSTART")
        assert start.hour == 9
        assert start.astimezone(datetime.UTC).hour == utc_hour
    # 08:00 in Tokyo on 1 January is 31 December in UTC.
    tokyo_event = by_uid[day_uid(tokyo, tokyo.days.get())]
    assert tokyo_event.decoded("DTSTART").astimezone(datetime.UTC).date() == D(2031, 12, 31)


def test_one_vtimezone_per_tzid_used(london_dst):
    tokyo = factories.session(time_zone="Asia/Tokyo", days=[(D(2032, 1, 1), T(8), T(12))])
    other_london = factories.session(
        time_zone="Europe/London", days=[(D(2031, 11, 3), T(9), T(12))]
    )
    cal = parse(
        build_calendar([london_dst, tokyo, other_london], base_url="http://x", name="t").to_ical()
    )
    zones = sorted(str(tz["TZID"]) for tz in cal.walk("VTIMEZONE"))
    assert zones == ["Asia/Tokyo", "Europe/London"]
    assert cal.get_missing_tzids() == set()


def test_every_event_has_the_required_properties_and_a_reminder_a_day_before(london_dst):
    cal = parse(build_calendar([london_dst], base_url="http://x.example", name="t").to_ical())
    (first, second) = sorted(events(cal), key=lambda e: e.decoded("DTSTART"))
    for event in (first, second):
        for prop in ("UID", "DTSTAMP", "SEQUENCE", "STATUS", "LOCATION", "URL", "DESCRIPTION"):
            assert prop in event, prop
        assert event["STATUS"] == "CONFIRMED"
        # The session page in the language the calendar is written in.
        assert str(event["URL"]) == "http://x.example/en/sessions/2031-GB-010/"
        assert "London" in str(event["LOCATION"])
        (alarm,) = event.walk("VALARM")
        assert alarm.decoded("TRIGGER") == datetime.timedelta(days=-1)
    assert "day 1 of 2" in str(first["SUMMARY"])


def test_rfc5545_bytes_crlf_and_folding():
    course = factories.course(summary="A long summary. " * 20)
    s = factories.session(course_obj=course, time_zone="Europe/Paris")
    content = build_calendar([s], base_url="http://x", name="t").to_ical()
    assert content.startswith(b"BEGIN:VCALENDAR\r\n")
    assert content.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in content.replace(b"\r\n", b"")
    lines = content.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    # The long description was folded: continuation lines start with a space.
    assert any(line.startswith(b" ") for line in lines)


def test_uid_stays_and_sequence_rises_on_every_change(client, london_dst):
    lead = factories.lead()

    def uid_and_sequence():
        cal = parse(feed(client, "/calendar/programme.ics"))
        return {(str(e["UID"]), int(e["SEQUENCE"])) for e in events(cal)}

    before = uid_and_sequence()
    assert {seq for _uid, seq in before} == {0}
    # An edit in the admin (the venue moves) is picked up by calendar programs.
    from tests.sessions.test_admin import edit_data

    client.force_login(lead)
    response = client.post(
        f"/admin/sessions/edit/{london_dst.pk}/",
        edit_data(london_dst, venue="New venue", delivery="hybrid", join_url=JOIN, country="GB"),
    )
    assert response.status_code == 302
    client.logout()
    after = uid_and_sequence()
    assert {uid for uid, _seq in after} == {uid for uid, _seq in before}
    assert {seq for _uid, seq in after} == {1}
    schedule_services.change_status(
        session=london_dst, status="cancelled", reason="Strike.", acting_user=lead
    )
    assert {seq for _uid, seq in uid_and_sequence()} == {2}


def test_a_cancelled_session_stays_in_the_programme_feed_as_cancelled(client, london_dst):
    schedule_services.change_status(
        session=london_dst, status="cancelled", reason="Strike.", acting_user=None
    )
    cal = parse(feed(client, "/calendar/programme.ics"))
    statuses = {str(e["STATUS"]) for e in events(cal)}
    assert statuses == {"CANCELLED"}
    assert all(not e.walk("VALARM") for e in events(cal))


def test_programme_feed_leaves_out_drafts_delivered_and_past_cancelled(client):
    factories.session(reference="DRAFT-1", status="draft")
    factories.session(reference="DONE-1", status="delivered", days=[(D(2020, 1, 6), T(9), T(17))])
    factories.session(
        reference="OLD-CANCEL", status="cancelled", days=[(D(2020, 1, 7), T(9), T(17))]
    )
    factories.session(reference="SCHED-1")
    content = feed(client, "/calendar/programme.ics").decode()
    assert "SCHED-1" in content
    for absent in ("DRAFT-1", "DONE-1", "OLD-CANCEL"):
        assert absent not in content


def test_the_public_feed_never_carries_the_join_link(client, london_dst):
    factories.registration(session_obj=london_dst)
    assert JOIN not in feed(client, "/calendar/programme.ics").decode()


def test_session_file_shows_the_join_link_only_to_confirmed_registrants_and_trainers(
    client, london_dst
):
    url = f"/sessions/{london_dst.reference}/calendar.ics"

    def has_join():
        # Folding may split the link across lines; parse to read it back whole.
        cal = parse(feed(client, url))
        return all(JOIN in str(e["DESCRIPTION"]) for e in events(cal))

    assert not has_join()
    waitlisted = factories.officer()
    factories.registration(session_obj=london_dst, officer_obj=waitlisted, status="waitlisted")
    client.force_login(waitlisted)
    assert not has_join()
    confirmed = factories.officer()
    factories.registration(session_obj=london_dst, officer_obj=confirmed)
    client.force_login(confirmed)
    assert has_join()
    trainer = factories.trainer()
    london_dst.trainers.add(trainer)
    client.force_login(trainer)
    assert has_join()


def test_session_file_of_a_draft_answers_404(client):
    draft = factories.session(status="draft")
    assert client.get(f"/sessions/{draft.reference}/calendar.ics").status_code == 404


def test_officer_personal_feed_holds_confirmed_sessions_with_join_links(client, london_dst):
    officer = factories.officer()
    factories.registration(session_obj=london_dst, officer_obj=officer)
    waitlisted = factories.session(reference="WAIT-1", join_url=JOIN)
    factories.registration(session_obj=waitlisted, officer_obj=officer, status="waitlisted")
    factories.session(reference="OTHER-1")
    token = schedule_services.feed_token_for(user=officer)
    cal = parse(feed(client, f"/calendar/{token.token}.ics"))
    references = {str(e["URL"]).rstrip("/").rsplit("/", 1)[1] for e in events(cal)}
    assert references == {"2031-GB-010"}
    assert all(JOIN in str(e["DESCRIPTION"]) for e in events(cal))


def test_trainer_personal_feed_holds_the_sessions_they_train(client, london_dst):
    trainer = factories.trainer()
    london_dst.trainers.add(trainer)
    factories.session(reference="NOT-MINE")
    token = schedule_services.feed_token_for(user=trainer)
    content = parse(feed(client, f"/calendar/{token.token}.ics"))
    urls = {str(e["URL"]) for e in events(content)}
    assert urls == {"http://testserver/en/sessions/2031-GB-010/"}


def test_a_regenerated_token_kills_the_old_url(client):
    officer = factories.officer()
    old = schedule_services.feed_token_for(user=officer).token
    client.force_login(officer)
    response = client.post("/en/calendar/regenerate/")
    assert response.status_code == 302
    client.logout()
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    new = schedule_services.feed_token_for(user=officer).token
    assert client.get(f"/calendar/{new}.ics").status_code == 200


def test_unknown_token_and_inactive_user_answer_404(client):
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    officer = factories.officer()
    token = schedule_services.feed_token_for(user=officer).token
    officer.is_active = False
    officer.save()
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_feed_settings_page_and_regenerate_need_sign_in(client):
    response = client.get("/en/calendar/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post("/en/calendar/regenerate/").status_code == 302
    from sessions.models import CalendarFeedToken

    assert not CalendarFeedToken.objects.exists()
    officer = factories.officer()
    client.force_login(officer)
    body = client.get("/en/calendar/").content.decode()
    assert schedule_services.feed_token_for(user=officer).token in body
    assert client.get("/en/calendar/regenerate/").status_code == 405


def test_the_feed_shows_a_session_in_its_own_zone_even_for_cancelled_ones(london_dst):
    london_dst.status = TrainingSession.Status.CANCELLED
    london_dst.cancellation_reason = "Strike."
    london_dst.save()
    cal = parse(build_calendar([london_dst], base_url="http://x", name="t").to_ical())
    assert all(str(e["STATUS"]) == "CANCELLED" for e in events(cal))
    assert all("Strike." in str(e["DESCRIPTION"]) for e in events(cal))


def ics(session):
    return build_calendar([session], base_url="http://x", name="t").to_ical()


def test_a_moved_day_keeps_its_uid_with_a_higher_sequence(london_dst):
    day = london_dst.days.order_by("date").first()
    before = {str(e["UID"]): e for e in events(parse(ics(london_dst)))}
    day.date = D(2031, 10, 23)
    day.save()
    london_dst.refresh_schedule()
    schedule_services.bump_sequence(session=london_dst)
    london_dst.refresh_from_db()
    after = {str(e["UID"]): e for e in events(parse(ics(london_dst)))}
    assert set(after) == set(before)
    moved = after[day_uid(london_dst, day)]
    assert moved.decoded("DTSTART").date() == D(2031, 10, 23)
    assert moved["SEQUENCE"] > before[day_uid(london_dst, day)]["SEQUENCE"]


def test_the_public_programme_feed_carries_no_reminder(client, london_dst):
    """Every subscriber of the programme feed got an alarm for every session: it has none."""
    from django.urls import reverse

    london_dst.status = TrainingSession.Status.SCHEDULED
    london_dst.save()
    cal = parse(feed(client, reverse("training_sessions:programme_feed")))
    assert events(cal)
    assert all(not event.walk("VALARM") for event in events(cal))


def test_the_calendar_page_offers_webcal_google_outlook_and_copy_for_both_feeds(client):
    """Subscribing is one click: webcal:// (the device's calendar app), Google Calendar's and
    Outlook.com's add-by-address pages, each carrying the feed's own address."""
    from urllib.parse import parse_qs, urlsplit

    from bs4 import BeautifulSoup

    officer = factories.officer()
    client.force_login(officer)
    soup = BeautifulSoup(client.get("/en/calendar/").content, "html.parser")
    personal = (
        "http://testserver" + schedule_services.feed_token_for(user=officer).get_absolute_url()
    )
    programme = "http://testserver" + reverse("feeds:programme")
    lists = soup.select("ul.subscribe-links")
    assert len(lists) == 2
    for links, url in zip(lists, (personal, programme), strict=True):
        hrefs = [a["href"] for a in links.select("a")]
        webcal, google, outlook = hrefs
        assert webcal == "webcal://" + url.removeprefix("http://")
        assert urlsplit(google).netloc == "calendar.google.com"
        assert parse_qs(urlsplit(google).query)["cid"] == [webcal]
        assert urlsplit(outlook).netloc == "outlook.live.com"
        assert parse_qs(urlsplit(outlook).query)["url"] == [url]
        copy = links.select_one("button.copy-button")
        field = soup.find(id=copy["data-copy"])
        assert field["value"] == url


def _by_uid(content):
    cal = parse(content)
    return {
        str(e["UID"]): {name: value.to_ical() for name, value in e.items()} for e in events(cal)
    }, sorted(str(tz["TZID"]) for tz in cal.walk("VTIMEZONE"))


@pytest.mark.parametrize("language", ["en", "th"])
def test_the_programme_feed_written_directly_matches_build_calendar(client, language):
    """calendar.build_feed (the programme feed, for thousands of sessions) writes the events
    build_calendar would, property for property: escaping, folding, zones, cancellations."""
    from django.utils import translation

    from sessions.schedule import selectors

    factories.session(
        reference="2031-GB-011",
        time_zone="Europe/London",
        city="London, Westminster",
        venue="Hall; north wing",
        country="GB",
        delivery="hybrid",
        days=[(D(2031, 10, 24), T(9), T(17)), (D(2031, 10, 27), T(9), T(17))],
    )
    factories.session(
        reference="2031-TH-001",
        time_zone="Asia/Bangkok",
        delivery="remote",
        days=[(D(2031, 11, 3), T(9), T(12))],
    )
    cancelled = factories.session(
        reference="2031-HK-002",
        time_zone="Asia/Hong_Kong",
        country="HK",
        days=[(D(2031, 12, 1), T(9), T(17))],
    )
    schedule_services.change_status(
        session=cancelled, status="cancelled", reason="Typhoon, " + "long " * 30, acting_user=None
    )
    content = feed(client, f"/calendar/programme.ics?lang={language}")
    with translation.override(language):
        expected = build_calendar(
            selectors.programme_feed_sessions(),
            base_url="http://testserver/",
            name="ignored",
            reminder=False,
        ).to_ical()
    written, zones = _by_uid(content)
    built, built_zones = _by_uid(expected)
    assert len(written) == 4
    assert written == built
    assert zones == built_zones == ["Asia/Bangkok", "Asia/Hong_Kong", "Europe/London"]
    assert all(len(line) <= 75 for line in content.split(b"\r\n"))
