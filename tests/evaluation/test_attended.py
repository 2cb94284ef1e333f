"""Evaluation asks "attended" of the programme's one definition (sessions/attendance/selectors):
a confirmed registration present or late on a day. A registration cancelled after a roll call
marked it present is not attendance: no form, no invitation, not counted as invited."""

import pytest
from django.db.models import Q

from evaluation import selectors, services
from sessions.attendance.selectors import attended_registrations as programme_attended
from sessions.models import Registration

from .conftest import answers, ended_session

pytestmark = pytest.mark.django_db


def test_present_on_a_confirmed_registration_is_attended():
    session, (officer,) = ended_session(attendees=1)
    assert selectors.has_attended(session, officer)
    assert selectors.open_forms_for(officer) == [session]


def test_a_registration_cancelled_after_the_roll_call_is_not():
    session, (officer, stays) = ended_session(attendees=2)
    Registration.objects.filter(session=session, officer=officer).update(status="cancelled")
    # The stored flag still says present: only the status tells them apart.
    assert Registration.objects.get(session=session, officer=officer).participated
    assert not selectors.has_attended(session, officer)
    assert selectors.open_forms_for(officer) == []
    assert selectors.session_results(session).invited == 1
    with pytest.raises(services.FeedbackRefused):
        services.submit_feedback(session=session, officer=officer, data=answers(session))
    assert selectors.has_attended(session, stays)


def test_evaluation_and_the_programme_agree_on_who_attended():
    session, officers = ended_session(attendees=3)
    Registration.objects.filter(session=session, officer=officers[0]).update(status="cancelled")
    ours = set(selectors.attended_registrations(session).values_list("pk", flat=True))
    theirs = set(
        programme_attended(Registration.objects.filter(Q(session=session))).values_list(
            "pk", flat=True
        )
    )
    assert ours == theirs and len(ours) == 2
