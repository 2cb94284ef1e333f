import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from sessions.models import SessionDay, TrainingSession, validate_time_zone
from tests import factories

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def test_days_are_stored_as_utc_instants_from_local_times():
    s = factories.session(
        time_zone="Asia/Hong_Kong",
        days=[(datetime.date(2023, 11, 29), datetime.time(9), datetime.time(17))],
    )
    day = s.days.get()
    assert day.starts_at == datetime.datetime(2023, 11, 29, 1, 0, tzinfo=UTC)
    assert day.ends_at == datetime.datetime(2023, 11, 29, 9, 0, tzinfo=UTC)


def test_local_times_survive_the_clock_change():
    s = factories.session(
        time_zone="Europe/London",
        days=[
            (datetime.date(2023, 10, 27), datetime.time(9), datetime.time(17)),
            (datetime.date(2023, 10, 30), datetime.time(9), datetime.time(17)),
        ],
    )
    before, after = s.days.all()
    assert before.starts_at.hour == 8  # BST, UTC+1
    assert after.starts_at.hour == 9  # GMT


def test_first_day_local_date_decides_the_year():
    s = factories.session(
        time_zone="Asia/Tokyo",
        days=[(datetime.date(2024, 1, 1), datetime.time(8), datetime.time(12))],
    )
    assert s.start_date == datetime.date(2024, 1, 1)
    assert s.days.get().starts_at.date() == datetime.date(2023, 12, 31)


def test_a_day_must_end_after_it_starts():
    s = factories.session()
    day = SessionDay(
        session=s,
        date=datetime.date(2030, 3, 5),
        start_time=datetime.time(17),
        end_time=datetime.time(9),
    )
    with pytest.raises(ValidationError):
        day.clean()
    with pytest.raises(IntegrityError):
        day.save()


def test_a_cancelled_session_needs_a_reason():
    s = factories.session()
    s.status = TrainingSession.Status.CANCELLED
    s.cancellation_reason = ""
    with pytest.raises(IntegrityError):
        s.save()


def test_time_zone_must_be_iana():
    validate_time_zone("America/Los_Angeles")
    with pytest.raises(ValidationError):
        validate_time_zone("Mars/Olympus_Mons")
