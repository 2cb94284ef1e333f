"""The registration rules' one home: verification, seats and the online join link."""

import pytest
from django.contrib.auth.models import AnonymousUser

from sessions import permissions
from sessions.registration import rules
from tests import factories

pytestmark = pytest.mark.django_db


def test_verification_is_the_same_rule_for_registering_and_requesting_a_training():
    session = factories.session()
    verified, pending = factories.officer(), factories.officer(verified=False)
    assert rules.registration_refusal(session=session, officer=verified) is None
    assert permissions.can_request_training(verified)
    refusal = rules.registration_refusal(session=session, officer=pending)
    assert refusal.code == "not_verified"
    assert not permissions.can_request_training(pending)


def test_a_verified_officer_without_an_agency_registers_but_cannot_request_a_training():
    officer = factories.officer()
    officer.officer_profile.agency = None
    officer.officer_profile.save()
    assert rules.registration_refusal(session=factories.session(), officer=officer) is None
    assert not permissions.can_request_training(officer)


def test_seats_count_confirmed_registrations_only():
    session = factories.session(capacity=2)
    for status in ("confirmed", "waitlisted", "pending", "cancelled"):
        factories.registration(session_obj=session, status=status)
    assert rules.confirmed_seats(session) == 1
    assert rules.seats_left(session) == 1
    assert rules.status_for_new_seat(session, 1) == "confirmed"


def test_a_full_session_waitlists_and_never_shows_negative_seats():
    session = factories.session(capacity=1)
    for _ in range(2):  # a walk-in can put the room above capacity
        factories.registration(session_obj=session)
    assert rules.seats_left(session) == 0
    assert rules.status_for_new_seat(session, 1) == "waitlisted"


def test_the_join_link_goes_to_a_confirmed_seat_and_the_trainers():
    session = factories.session(join_url="https://meet.example/x")
    seat = factories.registration(session_obj=session)
    trainer = factories.trainer()
    session.trainers.add(trainer)
    assert rules.join_link_for_user(seat.officer, session) == "https://meet.example/x"
    assert rules.join_link_for_user(trainer, session) == "https://meet.example/x"


def test_the_join_link_is_refused_to_the_waitlist_strangers_and_anonymous():
    session = factories.session(join_url="https://meet.example/x")
    waiting = factories.registration(session_obj=session, status="waitlisted")
    assert rules.join_link_for_user(waiting.officer, session) == ""
    assert rules.join_link_for_user(factories.officer(), session) == ""
    assert rules.join_link_for_user(AnonymousUser(), session) == ""
    assert rules.join_link(session, seat=False, trains=False) == ""


def test_no_join_link_when_the_session_has_none():
    session = factories.session()
    assert rules.join_link(session, seat=True, trains=True) == ""


# --- seat_of: the one "holds a seat" read (check-in, knowledge checks) ---------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status, holds",
    [("confirmed", True), ("waitlisted", False), ("pending", False), ("cancelled", False)],
)
def test_seat_of_is_the_confirmed_registration_only(status, holds):
    session = factories.session()
    registration = factories.registration(session_obj=session, status=status)
    found = rules.seat_of(registration.officer, session)
    assert (found == registration) is holds and (found is None) is not holds
    assert rules.seat_of(AnonymousUser(), session) is None
    assert rules.seat_of(factories.officer(), session) is None
