import datetime

import pytest
from django.utils import timezone

from evaluation import selectors
from tests import factories


def ended_session(*, days_ago=1, attendees=0, time_zone="Europe/London", **fields):
    """A delivered one-day session that ended `days_ago` days ago (09:00 to 17:00 local) and
    `attendees` officers present on it (returned with it)."""
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    session = factories.session(
        days=[(day, datetime.time(9), datetime.time(17))],
        status="delivered",
        time_zone=time_zone,
        **fields,
    )
    officers = [factories.officer() for _ in range(attendees)]
    for officer in officers:
        factories.attendance(session_obj=session, officer_obj=officer, attended=1)
    return session, officers


def answers(session, *, overall=5, recommend=9, improve="More exercises", **extra):
    """Posted data for the session's questions: each keyed question gets its value."""
    values = {"overall": overall, "recommend": recommend, "improve": improve, **extra}
    data = {}
    for question in selectors.questions_for(session):
        if question.key in values:
            data[question.pk] = str(values[question.key])
        elif question.kind == "rating":
            data[question.pk] = "4"
    return data


@pytest.fixture
def make_session():
    return ended_session
