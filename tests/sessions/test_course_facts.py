"""The session facts that sessions hands to the courses app through Wagtail hooks."""

import datetime

import pytest
from wagtail import hooks

from courses import session_facts
from tests import factories

pytestmark = pytest.mark.django_db

SOON = datetime.date.today() + datetime.timedelta(days=10)


def day(date):
    return (date, datetime.time(9), datetime.time(17))


def test_hooks_are_registered_by_sessions():
    for name in [
        "muster_course_participation",
        "muster_course_session_facts",
        "muster_upcoming_sessions",
        "muster_delivery_formats",
    ]:
        assert len(hooks.get_hooks(name)) == 1, name


def test_facts_list_only_upcoming_scheduled_sessions_soonest_first():
    course = factories.course()
    later = factories.session(
        course_obj=course, delivery="hybrid", days=[day(SOON + datetime.timedelta(days=5))]
    )
    sooner = factories.session(course_obj=course, delivery="remote", days=[day(SOON)])
    factories.session(course_obj=course, status="draft", days=[day(SOON)])
    factories.session(course_obj=course, status="cancelled", days=[day(SOON)])
    factories.session(
        course_obj=course, days=[day(datetime.date.today() - datetime.timedelta(days=3))]
    )
    facts = session_facts.course_facts([course.pk])[course.pk]
    assert [s.reference for s in facts.upcoming] == [sooner.reference, later.reference]
    assert facts.next_date == SOON
    assert facts.deliveries == (("remote", "Remote"), ("hybrid", "Hybrid"))
    assert facts.upcoming[0].online and facts.upcoming[0].url == f"/en/sessions/{sooner.reference}/"


def test_a_session_running_today_is_still_upcoming():
    course = factories.course()
    today = datetime.date.today()
    running = factories.session(
        course_obj=course, days=[day(today - datetime.timedelta(days=1)), day(today)]
    )
    facts = session_facts.course_facts([course.pk])[course.pk]
    assert [s.reference for s in facts.upcoming] == [running.reference]


def test_seats_left_counts_confirmed_places_only():
    course = factories.course()
    session = factories.session(course_obj=course, capacity=3, days=[day(SOON)])
    factories.registration(session_obj=session, officer_obj=factories.officer())
    factories.registration(
        session_obj=session, officer_obj=factories.officer(), status="waitlisted"
    )
    [facts] = session_facts.course_facts([course.pk])[course.pk].upcoming
    assert facts.seats_left == 2


def test_courses_without_sessions_get_empty_facts():
    course = factories.course()
    facts = session_facts.course_facts([course.pk])[course.pk]
    assert facts.upcoming == () and facts.next_date is None


def test_without_the_hooks_courses_still_work(monkeypatch):
    monkeypatch.setattr(session_facts, "_first_hook", lambda name: None)
    course = factories.course()
    officer = factories.officer()
    factories.registration(session_obj=factories.session(course_obj=course), officer_obj=officer)
    assert not session_facts.participation(officer, [course.pk])[course.pk].registered
    assert session_facts.course_facts([course.pk])[course.pk] == session_facts.EMPTY_FACTS
    assert session_facts.upcoming_sessions() == []
    assert session_facts.delivery_formats() == []


def test_upcoming_sessions_for_the_home_page_skip_unpublished_courses():
    shown = factories.session(course_obj=factories.course(title="Shown"), days=[day(SOON)])
    factories.session(course_obj=factories.course(live=False), days=[day(SOON)])
    rows = session_facts.upcoming_sessions(limit=5)
    assert [r.reference for r in rows] == [shown.reference]
    assert rows[0].course_title == "Shown"
