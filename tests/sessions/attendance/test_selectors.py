"""The one "attended" definition: a confirmed registration, present or late on some day."""

import pytest

from sessions.attendance.selectors import attended_registrations
from sessions.models import Registration
from tests import factories

pytestmark = pytest.mark.django_db


def attended_ids():
    return set(attended_registrations().values_list("pk", flat=True))


def test_present_or_late_on_one_day_attended():
    s = factories.delivered_session(day_count=2)
    present = factories.attendance(
        session_obj=s, officer_obj=factories.officer(), attended=0, statuses=["absent", "late"]
    )
    assert attended_ids() == {present.pk}


def test_excused_and_absent_days_are_not_attendance():
    s = factories.delivered_session(day_count=2)
    factories.attendance(
        session_obj=s, officer_obj=factories.officer(), attended=0, statuses=["excused", "absent"]
    )
    assert attended_ids() == set()


def test_a_registration_cancelled_after_roll_call_did_not_attend():
    s = factories.delivered_session(day_count=1)
    registration = factories.attendance(session_obj=s, officer_obj=factories.officer(), attended=1)
    Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.CANCELLED)
    assert attended_ids() == set()


def test_it_narrows_a_given_queryset():
    s = factories.delivered_session(day_count=1)
    mine = factories.attendance(session_obj=s, officer_obj=factories.officer(), attended=1)
    factories.attendance(session_obj=s, officer_obj=factories.officer(), attended=1)
    own = Registration.objects.filter(officer=mine.officer)
    assert list(attended_registrations(own)) == [mine]
