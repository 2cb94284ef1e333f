import datetime

import pytest

from sessions.attendance import selectors as attendance_selectors
from sessions.attendance import services as attendance_services
from sessions.models import Registration
from sessions.registration import selectors as registration_selectors
from tests import factories

pytestmark = pytest.mark.django_db


def register(session, officer, status=Registration.Status.CONFIRMED):
    return Registration.objects.create(session=session, officer=officer, status=status)


def test_participation_of_anonymous_and_strangers_is_nothing():
    course = factories.course()
    from django.contrib.auth.models import AnonymousUser

    assert attendance_selectors.course_participation(AnonymousUser(), [course.pk]) == {
        course.pk: attendance_selectors.Participation()
    }
    assert not attendance_selectors.course_participation(factories.officer(), [course.pk])[
        course.pk
    ].registered


def test_only_a_confirmed_registration_counts_as_registered():
    officer = factories.officer()
    session = factories.session()
    reg = register(session, officer, Registration.Status.WAITLISTED)
    assert not attendance_selectors.course_participation(officer, [session.course_id])[
        session.course_id
    ].registered
    reg.status = Registration.Status.CONFIRMED
    reg.save()
    p = attendance_selectors.course_participation(officer, [session.course_id])[session.course_id]
    assert p.registered and not p.attended


@pytest.mark.parametrize(
    ("status", "attended"),
    [("present", True), ("late", True), ("excused", False), ("absent", False)],
)
def test_present_or_late_on_one_day_counts_as_attended(status, attended):
    officer = factories.officer()
    session = factories.session(
        days=[
            (datetime.date(2030, 3, 4), datetime.time(9), datetime.time(17)),
            (datetime.date(2030, 3, 5), datetime.time(9), datetime.time(17)),
        ]
    )
    reg = register(session, officer)
    attendance_services.record_attendance(
        registration=reg,
        day=session.days.first(),
        status=status,
        method="roll_call",
        acting_user=None,
    )
    p = attendance_selectors.course_participation(officer, [session.course_id])[session.course_id]
    assert p.attended is attended


def test_seats_left_counts_confirmed_only(django_assert_num_queries):
    session = factories.session(capacity=2)
    register(session, factories.officer())
    register(session, factories.officer(), Registration.Status.WAITLISTED)
    annotated = registration_selectors.with_seats_left(
        type(session).objects.filter(pk=session.pk)
    ).get()
    with django_assert_num_queries(0):
        assert annotated.seats_left == 1


def test_session_page_hides_drafts(client):
    draft = factories.session(status="draft")
    scheduled = factories.session(status="scheduled")
    assert client.get(draft.get_absolute_url()).status_code == 404
    html = client.get(scheduled.get_absolute_url()).content.decode()
    assert scheduled.reference in html
