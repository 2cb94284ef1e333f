"""Demo data for scheduling: sessions over a clock change and over New Year in Tokyo, training
requests in each state, and calendar feed tokens for the demo officer and trainer."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from attendees.models import OfficerProfile
from sessions.models import SessionDay, TrainingRequest, TrainingSession
from sessions.schedule import services as schedule_services

from . import data

User = get_user_model()


def build_scheduling(demo):
    lead = User.objects.get(email="lead@muster.example")
    demo_trainer = User.objects.get(email=data.TRAINERS[0][2])
    build_time_zone_showcases(demo, demo_trainer)
    build_training_requests(demo, lead)
    # Feed tokens are secrets, so they come from `secrets` even in the demo: a predictable
    # token would open the feed of anyone who loaded the demo on a public server.
    for email in ("officer@hkpf.example", demo_trainer.email):
        schedule_services.feed_token_for(user=User.objects.get(email=email))


def last_sunday_of_october(year):
    day = datetime.date(year, 10, 31)
    while day.weekday() != 6:
        day -= datetime.timedelta(days=1)
    return day


def build_time_zone_showcases(demo, demo_trainer):
    today = demo.now.date()
    change = last_sunday_of_october(today.year)
    if change - today < datetime.timedelta(days=7):
        change = last_sunday_of_october(today.year + 1)
    # Friday before and Monday after the clock change: 09:00 London both days, an hour apart
    # in UTC.
    london = make(
        demo,
        country="GB",
        zone="Europe/London",
        city="London",
        days=[
            (change - datetime.timedelta(days=2), datetime.time(9), datetime.time(17)),
            (change + datetime.timedelta(days=1), datetime.time(9), datetime.time(17)),
        ],
        trainer=demo_trainer,
    )
    # 08:00 in Tokyo on the first working day of January is still the previous year in UTC,
    # yet the session belongs to the new year.
    new_year = datetime.date(today.year + 1, 1, 5)
    while new_year.weekday() >= 5:
        new_year += datetime.timedelta(days=1)
    tokyo = make(
        demo,
        country="JP",
        zone="Asia/Tokyo",
        city="Tokyo",
        days=[(new_year, datetime.time(8), datetime.time(12))],
        trainer=demo_trainer,
    )
    return london, tokyo


def make(demo, *, country, zone, city, days, trainer):
    rng = demo.rng
    course = rng.choice(demo.courses)
    session = TrainingSession.objects.create(
        reference=schedule_services.next_reference(year=days[0][0].year, country=country),
        course=course,
        delivery=TrainingSession.Delivery.IN_PERSON,
        status=TrainingSession.Status.SCHEDULED,
        time_zone=zone,
        venue=f"{city} training centre",
        city=city,
        country=country,
        capacity=30,
        host_agency=rng.choice(demo.agencies_by_country.get(country, demo.agencies)),
        language="en",
    )
    for date, start, end in days:
        SessionDay.objects.create(session=session, date=date, start_time=start, end_time=end)
    session.refresh_schedule()
    # The demo trainer if free, else the first trainer without a clash.
    for candidate in [trainer, *demo.trainers]:
        session.trainers.set([candidate])
        try:
            schedule_services.check_trainer_clashes(session=session)
        except ValidationError:
            continue
        break
    return session


def build_training_requests(demo, lead):
    officer = User.objects.get(email="officer@hkpf.example")
    others = list(
        User.objects.filter(
            officer_profile__verification=OfficerProfile.Verification.VERIFIED,
            email__startswith="officer0",
        ).order_by("email")[:2]
    )
    today = demo.now.date()
    submitted = schedule_services.submit_training_request(
        requester=officer,
        acting_user=officer,
        course=demo.courses[0],
        preferred_start=today + datetime.timedelta(days=90),
        preferred_end=today + datetime.timedelta(days=120),
        preferred_dates="Not during the Lunar New Year holidays.",
        expected_participants=40,
        delivery=TrainingSession.Delivery.IN_PERSON,
        city="Hong Kong",
        notes="Commercial Crime Bureau and Cyber Security and Technology Crime Bureau.",
    )
    accepted = schedule_services.submit_training_request(
        requester=others[0],
        acting_user=others[0],
        course=demo.courses[1],
        preferred_start=today + datetime.timedelta(days=150),
        expected_participants=25,
        delivery=TrainingSession.Delivery.REMOTE,
    )
    accepted = schedule_services.accept_training_request(
        training_request=accepted, acting_user=lead
    )
    # The lead has pencilled in a day in the requester's zone; the draft awaits scheduling.
    draft = accepted.session
    zones = {country: zone for country, zone, _city in data.COUNTRIES}
    draft.time_zone = zones.get(draft.country, "UTC")
    draft.save(update_fields=["time_zone"])
    day = accepted.preferred_start
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    SessionDay.objects.create(
        session=draft, date=day, start_time=datetime.time(10), end_time=datetime.time(16)
    )
    draft.refresh_schedule()
    draft.trainers.set([demo.trainers[1]])
    declined = schedule_services.submit_training_request(
        requester=others[1],
        acting_user=others[1],
        topic="Forensic accounting for tax fraud",
        preferred_dates="Any time next year",
        expected_participants=12,
        delivery=TrainingSession.Delivery.HYBRID,
        city="Nairobi",
    )
    schedule_services.decline_training_request(
        training_request=declined,
        reason="Tax fraud is outside the programme's virtual-asset curriculum.",
        acting_user=lead,
    )
    return [submitted, accepted, TrainingRequest.objects.get(pk=declined.pk)]
