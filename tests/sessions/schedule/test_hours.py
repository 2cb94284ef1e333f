"""The one training-hours conversion, used by the yearly report and the certificates."""

import datetime

import pytest

from sessions.schedule.selectors import session_hours, training_hours
from tests import factories


def test_minutes_become_hours_to_two_decimals():
    assert training_hours(90) == 1.5
    assert training_hours(100) == 1.67


def test_no_minutes_are_zero_hours():
    assert training_hours(0) == 0
    assert training_hours(None) == 0


@pytest.mark.django_db
def test_a_session_counts_each_days_real_length_across_a_clock_change():
    # London's clocks went back at 02:00 on 29 October 2023: 00:30 to 03:30 lasted four hours.
    s = factories.session(
        time_zone="Europe/London",
        days=[(datetime.date(2023, 10, 29), datetime.time(0, 30), datetime.time(3, 30))],
    )
    assert session_hours(s) == 4
