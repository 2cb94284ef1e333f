"""The selectors behind My training: an officer's own registrations and attendance only."""

import datetime

import pytest

from sessions import selectors
from sessions.models import Attendance, Registration
from tests import factories

pytestmark = pytest.mark.django_db
R = Registration.Status


def days_from_now(n):
    day = datetime.date.today() + datetime.timedelta(days=n)
    return [(day, datetime.time(9), datetime.time(17))]


def test_upcoming_registrations_are_the_users_active_ones_soonest_first():
    me, other = factories.officer(), factories.officer()
    later = factories.session(days=days_from_now(30))
    sooner = factories.session(days=days_from_now(10))
    past = factories.session(days=days_from_now(-10))
    cancelled_session = factories.session(days=days_from_now(5))
    factories.registration(session_obj=later, officer_obj=me, status=R.WAITLISTED)
    factories.registration(session_obj=sooner, officer_obj=me)
    factories.registration(session_obj=past, officer_obj=me)
    factories.registration(session_obj=cancelled_session, officer_obj=me, status=R.CANCELLED)
    factories.registration(session_obj=sooner, officer_obj=other)
    assert [r.session for r in selectors.upcoming_registrations(me)] == [sooner, later]
    assert [r.officer for r in selectors.upcoming_registrations(other)] == [other]


def test_past_attendance_is_the_users_own_newest_first():
    me, other = factories.officer(), factories.officer()
    s = factories.session(
        days=[
            (datetime.date(2024, 3, 4), datetime.time(9), datetime.time(17)),
            (datetime.date(2024, 3, 5), datetime.time(9), datetime.time(17)),
        ]
    )
    mine = factories.registration(session_obj=s, officer_obj=me)
    theirs = factories.registration(session_obj=s, officer_obj=other)
    day1, day2 = s.days.order_by("date")
    for reg, day in ((mine, day1), (mine, day2), (theirs, day1)):
        Attendance.objects.create(registration=reg, day=day, status="present", method="qr")
    assert [a.day for a in selectors.past_attendance(me)] == [day2, day1]
    assert {a.registration.officer for a in selectors.past_attendance(other)} == {other}
