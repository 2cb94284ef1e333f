import datetime

import pytest
from django.core.management import call_command

from sessions.models import CalendarFeedToken, TrainingRequest, TrainingSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(demo_programme):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_demo_has_training_requests_in_every_state(seeded):
    states = set(TrainingRequest.objects.values_list("status", flat=True))
    assert states == {"submitted", "accepted", "declined"}
    accepted = TrainingRequest.objects.get(status="accepted")
    assert accepted.session.status == "draft"


def test_demo_officer_and_trainer_have_feed_tokens(seeded):
    emails = set(CalendarFeedToken.objects.values_list("user__email", flat=True))
    assert {"officer@hkpf.example", "trainer@muster.example"} <= emails


def test_demo_has_a_session_over_a_clock_change_and_one_over_new_year_in_tokyo(seeded):
    london = TrainingSession.objects.filter(time_zone="Europe/London", status="scheduled")
    offsets = set()
    for session in london:
        days = list(session.days.all())
        if len(days) > 1:
            offsets = {day.starts_at.hour for day in days}
            if len(offsets) == 2:
                break
    assert len(offsets) == 2  # the same 09:00 local is 08:00 and 09:00 UTC
    tokyo = TrainingSession.objects.filter(
        time_zone="Asia/Tokyo", start_date__month=1, start_date__day__lte=9
    ).first()
    assert tokyo is not None
    assert tokyo.days.first().starts_at.date() < tokyo.start_date
    assert tokyo.start_date.month == 1
    # The 2022 and 2023 figures are untouched.
    assert TrainingSession.objects.filter(status="delivered", start_date__year=2023).count() == 120
    assert datetime.date.today() <= tokyo.start_date
