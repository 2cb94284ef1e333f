"""Status transitions, trainer clashes, schedule again, training requests, feed tokens."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from sessions.models import CalendarFeedToken, TrainingRequest, TrainingSession
from sessions.schedule import services as schedule_services
from tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date
T = datetime.time
Status = TrainingSession.Status


def past_session(**fields):
    return factories.session(days=[(D(2020, 5, 4), T(9), T(17))], **fields)


# --- Status transitions ------------------------------------------------------------------


def test_draft_becomes_scheduled_and_sequence_rises():
    s = factories.session(status=Status.DRAFT)
    s = schedule_services.change_status(session=s, status=Status.SCHEDULED, acting_user=None)
    assert s.status == Status.SCHEDULED
    assert s.sequence == 1


def test_scheduled_becomes_delivered_only_after_the_last_day_ended():
    upcoming = factories.session()
    with pytest.raises(ValidationError, match="only after its last day has ended"):
        schedule_services.change_status(session=upcoming, status=Status.DELIVERED, acting_user=None)
    done = past_session()
    done = schedule_services.change_status(session=done, status=Status.DELIVERED, acting_user=None)
    assert done.status == Status.DELIVERED


def test_a_session_ending_a_minute_from_now_is_not_yet_delivered():
    now = timezone.now().astimezone(datetime.UTC)
    end = (now + datetime.timedelta(minutes=2)).replace(second=0, microsecond=0)
    start = end - datetime.timedelta(hours=1)
    if start.date() != end.date():
        pytest.skip("too close to midnight UTC for a same-day session")
    s = factories.session(time_zone="UTC", days=[(end.date(), start.time(), end.time())])
    with pytest.raises(ValidationError):
        schedule_services.change_status(session=s, status=Status.DELIVERED, acting_user=None)


@pytest.mark.parametrize("start", [Status.DRAFT, Status.SCHEDULED])
def test_draft_or_scheduled_can_be_cancelled_with_a_reason(start):
    s = factories.session(status=start)
    with pytest.raises(ValidationError, match="reason"):
        schedule_services.change_status(
            session=s, status=Status.CANCELLED, acting_user=None, reason=" "
        )
    s = schedule_services.change_status(
        session=s, status=Status.CANCELLED, acting_user=None, reason="Venue closed."
    )
    assert (s.status, s.cancellation_reason) == (Status.CANCELLED, "Venue closed.")


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (Status.DRAFT, Status.DELIVERED),
        (Status.SCHEDULED, Status.DRAFT),
        (Status.DELIVERED, Status.SCHEDULED),
        (Status.DELIVERED, Status.CANCELLED),
        (Status.CANCELLED, Status.SCHEDULED),
        (Status.CANCELLED, Status.DRAFT),
        (Status.SCHEDULED, Status.SCHEDULED),
    ],
)
def test_other_transitions_are_refused_and_nothing_changes(start, target):
    s = past_session(status=start)
    with pytest.raises(ValidationError):
        schedule_services.change_status(session=s, status=target, acting_user=None, reason="x")
    s.refresh_from_db()
    assert (s.status, s.sequence) == (start, 0)


def test_a_session_without_days_cannot_be_scheduled():
    s = factories.session(status=Status.DRAFT)
    s.days.all().delete()
    with pytest.raises(ValidationError, match="at least one day"):
        schedule_services.change_status(session=s, status=Status.SCHEDULED, acting_user=None)


# --- Clashes -----------------------------------------------------------------------------


def clash_messages(trainer, *, time_zone, days, session=None):
    return schedule_services.find_trainer_clashes(
        session=session,
        days=[schedule_services.PlannedDay(*day) for day in days],
        trainer_ids=[trainer.pk],
        time_zone=time_zone,
    )


def test_overlap_in_absolute_time_across_zones_is_a_clash_naming_session_and_day():
    trainer = factories.trainer()
    london = factories.session(
        reference="2031-GB-001", time_zone="Europe/London", days=[(D(2031, 6, 2), T(9), T(17))]
    )
    london.trainers.add(trainer)
    # 15:00-18:00 in Hong Kong (UTC+8) is 08:00-11:00 in London (UTC+1 in June).
    messages = clash_messages(
        trainer, time_zone="Asia/Hong_Kong", days=[(D(2031, 6, 2), T(15), T(18))]
    )
    assert len(messages) == 1
    assert "2031-GB-001" in messages[0]
    assert "June 2, 2031" in messages[0] or "2 June 2031" in messages[0]


def test_same_local_times_in_far_apart_zones_do_not_clash():
    trainer = factories.trainer()
    london = factories.session(time_zone="Europe/London", days=[(D(2031, 6, 2), T(9), T(12))])
    london.trainers.add(trainer)
    # 09:00-12:00 in Tokyo is 01:00-04:00 in London.
    assert (
        clash_messages(trainer, time_zone="Asia/Tokyo", days=[(D(2031, 6, 2), T(9), T(12))]) == []
    )


def test_back_to_back_across_zones_is_not_a_clash():
    trainer = factories.trainer()
    london = factories.session(time_zone="Europe/London", days=[(D(2031, 6, 2), T(9), T(12))])
    london.trainers.add(trainer)
    # 12:00-14:00 in London is 13:00-15:00 in Paris: starts exactly when London ends.
    assert (
        clash_messages(trainer, time_zone="Europe/Paris", days=[(D(2031, 6, 2), T(13), T(15))])
        == []
    )
    # One minute earlier clashes.
    assert clash_messages(
        trainer, time_zone="Europe/Paris", days=[(D(2031, 6, 2), T(12, 59), T(15))]
    )


def test_cancelled_sessions_and_other_trainers_do_not_clash():
    trainer = factories.trainer()
    cancelled = factories.session(
        status=Status.CANCELLED, time_zone="UTC", days=[(D(2031, 6, 2), T(9), T(17))]
    )
    cancelled.trainers.add(trainer)
    someone_else = factories.session(time_zone="UTC", days=[(D(2031, 6, 2), T(9), T(17))])
    someone_else.trainers.add(factories.trainer())
    assert clash_messages(trainer, time_zone="UTC", days=[(D(2031, 6, 2), T(10), T(11))]) == []


def test_scheduling_a_draft_that_clashes_is_refused():
    trainer = factories.trainer()
    a = factories.session(reference="A-1", time_zone="UTC", days=[(D(2031, 6, 2), T(9), T(17))])
    b = factories.session(
        reference="B-1", status=Status.DRAFT, time_zone="UTC", days=[(D(2031, 6, 2), T(16), T(18))]
    )
    a.trainers.add(trainer)
    b.trainers.add(trainer)
    with pytest.raises(ValidationError, match="A-1"):
        schedule_services.change_status(session=b, status=Status.SCHEDULED, acting_user=trainer)
    b.refresh_from_db()
    assert b.status == Status.DRAFT


# --- Schedule again ----------------------------------------------------------------------


def test_schedule_again_refuses_a_taken_reference():
    s = factories.session(reference="2031-HK-001")
    with pytest.raises(ValidationError, match="taken"):
        schedule_services.schedule_again(
            session=s, first_date=D(2032, 1, 5), reference="2031-HK-001", acting_user=None
        )
    assert TrainingSession.objects.count() == 1


def test_schedule_again_keeps_local_times_across_a_clock_change():
    s = factories.session(
        time_zone="Europe/London", country="GB", days=[(D(2031, 7, 1), T(9), T(17))]
    )
    copy = schedule_services.schedule_again(session=s, first_date=D(2031, 12, 1), acting_user=None)
    day = copy.days.get()
    assert day.start_time == T(9)
    assert day.starts_at.hour == 9  # GMT in December, where July's 09:00 was 08:00 UTC
    assert copy.reference.startswith("2031-GB-")


# --- Training requests -------------------------------------------------------------------


def test_only_verified_officers_submit_requests():
    pending = factories.officer(verified=False)
    with pytest.raises(ValidationError):
        schedule_services.submit_training_request(
            requester=pending, acting_user=pending, topic="DeFi", expected_participants=10
        )
    verified = factories.officer()
    request = schedule_services.submit_training_request(
        requester=verified, acting_user=verified, topic="DeFi", expected_participants=10
    )
    assert request.agency == verified.officer_profile.agency
    assert request.status == TrainingRequest.Status.SUBMITTED


def test_accepting_creates_a_linked_draft_and_emails_the_requester(
    django_capture_on_commit_callbacks,
):
    lead = factories.lead()
    request = factories.training_request(
        preferred_start=D(2031, 9, 1), city="Bangkok", expected_participants=35
    )
    with django_capture_on_commit_callbacks(execute=True):
        request = schedule_services.accept_training_request(
            training_request=request, acting_user=lead
        )
    session = request.session
    assert request.status == TrainingRequest.Status.ACCEPTED
    assert request.decided_by == lead and request.decided_at is not None
    assert session.status == Status.DRAFT
    assert (session.course, session.city, session.capacity) == (request.course, "Bangkok", 35)
    assert session.host_agency == request.agency
    assert session.reference.startswith("2031-HK-")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [request.requester.email]
    assert "accepted" in mail.outbox[0].subject
    assert session.reference in mail.outbox[0].body


@pytest.mark.parametrize(("zone", "expected"), [("Asia/Bangkok", "Asia/Bangkok"), ("", "UTC")])
def test_the_draft_carries_the_preferred_dates_and_the_requesters_zone(zone, expected):
    """The lead scheduling the draft sees what was asked for: the window of dates, the free
    text about dates, and times in the requester's own zone (UTC when they chose none)."""
    requester = factories.officer(time_zone=zone)
    request = factories.training_request(
        requester=requester,
        preferred_start=D(2031, 9, 1),
        preferred_end=D(2031, 10, 15),
        preferred_dates="Not during the Songkran week.",
    )
    session = schedule_services.accept_training_request(
        training_request=request, acting_user=factories.lead()
    ).session
    assert session.time_zone == expected
    assert "1 September 2031" in session.notes and "15 October 2031" in session.notes
    assert "Not during the Songkran week." in session.notes


def test_declining_needs_a_reason_and_emails_it(django_capture_on_commit_callbacks):
    request = factories.training_request()
    with pytest.raises(ValidationError):
        schedule_services.decline_training_request(
            training_request=request, reason="", acting_user=None
        )
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        schedule_services.decline_training_request(
            training_request=request, reason="No trainer free in March.", acting_user=None
        )
    request.refresh_from_db()
    assert request.status == TrainingRequest.Status.DECLINED
    assert "declined" in mail.outbox[0].subject
    assert "No trainer free in March." in mail.outbox[0].body


def test_a_decided_request_cannot_be_decided_again():
    request = factories.training_request()
    schedule_services.decline_training_request(
        training_request=request, reason="No.", acting_user=None
    )
    with pytest.raises(ValidationError, match="already"):
        schedule_services.accept_training_request(training_request=request, acting_user=None)


def test_a_topic_only_request_needs_a_course_before_acceptance():
    request = factories.training_request(topic="Hawala networks")
    with pytest.raises(ValidationError, match="course"):
        schedule_services.accept_training_request(training_request=request, acting_user=None)
    assert TrainingSession.objects.count() == 0


# --- Feed tokens -------------------------------------------------------------------------


def test_regenerating_the_feed_token_replaces_it():
    user = factories.officer()
    first = schedule_services.feed_token_for(user=user).token
    assert len(first) >= 43  # 32 random bytes, URL-safe base64
    second = schedule_services.regenerate_feed_token(user=user, acting_user=user).token
    assert second != first
    assert not CalendarFeedToken.objects.filter(token=first).exists()
