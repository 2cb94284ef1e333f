"""My training: only for people who are signed in, and only ever their own data."""

import datetime

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

SOON = datetime.date.today() + datetime.timedelta(days=10)
PAST = datetime.date.today() - datetime.timedelta(days=40)


def day(date):
    return (date, datetime.time(9), datetime.time(17))


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/en/my-training/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/en/my-training/"


def test_an_officer_sees_their_own_sessions_attendance_and_materials(client):
    me, other = factories.officer(), factories.officer()
    course = factories.course(title="Ransomware and laundering")
    upcoming = factories.session(course_obj=course, reference="2030-HK-001", days=[day(SOON)])
    past = factories.session(
        course_obj=course, reference="2020-HK-001", status="delivered", days=[day(PAST)]
    )
    factories.registration(session_obj=upcoming, officer_obj=me)
    factories.day_attendance(
        registration_obj=factories.registration(session_obj=past, officer_obj=me)
    )
    theirs = factories.session(reference="2030-SG-777", days=[day(SOON)])
    factories.registration(session_obj=theirs, officer_obj=other)
    factories.material(course_obj=course, access="attendees", title="Attendee case file")
    factories.material(access="attendees", title="Someone else's course file")

    client.force_login(me)
    html = client.get("/en/my-training/").content.decode()
    assert "2030-HK-001" in html
    assert "2020-HK-001" in html and "attended 1 day" in html
    assert "2030-SG-777" not in html
    assert "Attendee case file" in html
    assert "Someone else" not in html
    assert "My certificates" in html and 'id="section-certificates"' in html


def test_cancelled_and_waitlisted_places_are_not_upcoming(client):
    me = factories.officer()
    for status, reference in [("cancelled", "2030-X-001"), ("waitlisted", "2030-X-002")]:
        session = factories.session(reference=reference, days=[day(SOON)])
        factories.registration(session_obj=session, officer_obj=me, status=status)
    client.force_login(me)
    html = client.get("/en/my-training/").content.decode()
    assert "2030-X-001" not in html
    assert "no confirmed place" in html
    # A waitlisted place has its own list, with the position in line (issue 14).
    upcoming, waitlisted = html.split('id="my-waitlisted"')
    assert "2030-X-002" not in upcoming and "2030-X-002" in waitlisted


def test_an_unverified_officer_sees_the_page_but_no_restricted_material(client):
    me = factories.officer(verified=False)
    factories.material(access="verified", title="Verified-only handbook")
    client.force_login(me)
    response = client.get("/en/my-training/")
    assert response.status_code == 200
    assert "Verified-only handbook" not in response.content.decode()
    assert "No restricted material is open to you yet" in response.content.decode()


def test_staff_and_other_roles_see_their_own_empty_page(client):
    from accounts import roles

    officer = factories.officer()
    factories.registration(
        session_obj=factories.session(reference="2030-Z-001", days=[day(SOON)]),
        officer_obj=officer,
    )
    client.force_login(factories.user(role=roles.TRAINER))
    html = client.get("/en/my-training/").content.decode()
    assert "2030-Z-001" not in html
    assert "My training" in html
