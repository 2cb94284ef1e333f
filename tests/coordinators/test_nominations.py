"""Nominations: who may nominate whom, acceptance through the seat rule, seats per agency,
declining and lapsing (which free the seat for the waitlist)."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from audit.models import AuditEntry
from coordinators import services
from coordinators.models import Nomination
from sessions.models import Registration
from sessions.registration import rules
from sessions.registration import services as registration_services
from tests import factories

from .helpers import by_nomination, coordinator, unit_of

pytestmark = pytest.mark.django_db
R = Registration.Status
N = Nomination.Status


@pytest.fixture
def agency():
    return factories.agency()


@pytest.fixture
def coord(agency):
    return coordinator(agency)


def test_a_coordinator_nominates_an_officer_of_their_agency_or_units(agency, coord):
    session = by_nomination(capacity=5)
    for officer in (
        factories.officer(agency_obj=agency),
        factories.officer(agency_obj=unit_of(agency)),
    ):
        nomination = services.nominate(session=session, officer=officer, acting_user=coord)
        assert nomination.status == N.PENDING and nomination.holds_seat
        assert nomination.agency == agency
    assert AuditEntry.objects.filter(action=AuditEntry.Action.NOMINATION_CREATED).count() == 2


def test_refusals(agency, coord):
    session = by_nomination()
    cases = [
        ({"officer": factories.officer(), "acting_user": coord}, "not_in_scope"),
        (
            {"officer": factories.officer(agency_obj=agency, verified=False), "acting_user": coord},
            "not_in_scope",
        ),
        (
            {
                "officer": factories.officer(agency_obj=agency),
                "acting_user": factories.officer(agency_obj=agency),
            },
            "not_in_scope",
        ),
    ]
    for kwargs, code in cases:
        with pytest.raises(services.CoordinatorRefused) as info:
            services.nominate(session=session, **kwargs)
        assert info.value.code == code
    open_session = factories.session(
        days=[
            (
                datetime.date.today() + datetime.timedelta(days=9),
                datetime.time(9),
                datetime.time(17),
            )
        ]
    )
    with pytest.raises(services.CoordinatorRefused) as info:
        services.nominate(
            session=open_session, officer=factories.officer(agency_obj=agency), acting_user=coord
        )
    assert info.value.code == "not_by_nomination"
    officer = factories.officer(agency_obj=agency)
    services.nominate(session=session, officer=officer, acting_user=coord)
    with pytest.raises(services.CoordinatorRefused) as info:
        services.nominate(session=session, officer=officer, acting_user=coord)
    assert info.value.code == "duplicate"
    assert Nomination.objects.count() == 1


def test_an_officer_cannot_register_without_an_accepted_nomination(agency):
    session = by_nomination()
    officer = factories.officer(agency_obj=agency)
    refusal = rules.registration_refusal(session=session, officer=officer)
    assert refusal.code == "not_nominated"


def test_accepting_takes_the_held_seat(agency, coord):
    session = by_nomination(capacity=1)
    officer = factories.officer(agency_obj=agency)
    nomination = services.nominate(session=session, officer=officer, acting_user=coord)
    # The held seat is not for anyone else: a second nomination holds none.
    other = services.nominate(
        session=session, officer=factories.officer(agency_obj=agency), acting_user=coord
    )
    assert not other.holds_seat
    accepted = services.accept_nomination(nomination=nomination, acting_user=officer)
    assert accepted.status == N.ACCEPTED and not accepted.holds_seat
    assert accepted.registration.status == R.CONFIRMED
    # Without a held seat, acceptance joins the waitlist.
    second = services.accept_nomination(nomination=other, acting_user=other.officer)
    assert second.registration.status == R.WAITLISTED
    assert AuditEntry.objects.filter(action=AuditEntry.Action.NOMINATION_ACCEPTED).count() == 2


def test_only_the_nominee_answers_and_only_once(agency, coord):
    session = by_nomination()
    officer = factories.officer(agency_obj=agency)
    nomination = services.nominate(session=session, officer=officer, acting_user=coord)
    with pytest.raises(services.CoordinatorRefused) as info:
        services.accept_nomination(nomination=nomination, acting_user=coord)
    assert info.value.code == "not_yours"
    services.decline_nomination(nomination=nomination, acting_user=officer)
    with pytest.raises(services.CoordinatorRefused) as info:
        services.accept_nomination(nomination=nomination, acting_user=officer)
    assert info.value.code == "not_pending"
    assert not Registration.objects.filter(session=session).exists()


def test_seats_per_agency(agency, coord):
    session = by_nomination(capacity=10, seats_per_agency=2)
    nominations = [
        services.nominate(
            session=session, officer=factories.officer(agency_obj=agency), acting_user=coord
        )
        for _ in range(3)
    ]
    assert [n.holds_seat for n in nominations] == [True, True, False]
    # Another agency still has seats of its own.
    other_agency = factories.agency()
    other = services.nominate(
        session=session,
        officer=factories.officer(agency_obj=other_agency),
        acting_user=coordinator(other_agency),
    )
    assert other.holds_seat
    for n in nominations:
        services.accept_nomination(nomination=n, acting_user=n.officer)
    statuses = [
        n.registration.status for n in Nomination.objects.filter(agency=agency).order_by("pk")
    ]
    assert statuses == [R.CONFIRMED, R.CONFIRMED, R.WAITLISTED]


def test_cancelling_frees_an_agency_seat_for_its_own_waitlist_only(agency, coord):
    session = by_nomination(capacity=3, seats_per_agency=1)
    other_agency = factories.agency()
    other_coord = coordinator(other_agency)
    first = services.nominate(
        session=session, officer=factories.officer(agency_obj=agency), acting_user=coord
    )
    second = services.nominate(
        session=session, officer=factories.officer(agency_obj=agency), acting_user=coord
    )
    first = services.accept_nomination(nomination=first, acting_user=first.officer)
    second = services.accept_nomination(nomination=second, acting_user=second.officer)
    assert second.registration.status == R.WAITLISTED
    third = services.nominate(
        session=session, officer=factories.officer(agency_obj=other_agency), acting_user=other_coord
    )
    assert third.holds_seat
    registration_services.cancel_registration(
        registration=first.registration, acting_user=first.officer
    )
    second.registration.refresh_from_db()
    assert second.registration.status == R.CONFIRMED


def test_declining_a_held_seat_promotes_the_first_in_line(agency, coord):
    session = by_nomination(capacity=1)
    holder = services.nominate(
        session=session, officer=factories.officer(agency_obj=agency), acting_user=coord
    )
    waiting = services.nominate(
        session=session, officer=factories.officer(agency_obj=agency), acting_user=coord
    )
    waiting = services.accept_nomination(nomination=waiting, acting_user=waiting.officer)
    assert waiting.registration.status == R.WAITLISTED
    services.decline_nomination(nomination=holder, acting_user=holder.officer)
    waiting.registration.refresh_from_db()
    assert waiting.registration.status == R.CONFIRMED
    assert AuditEntry.objects.filter(action=AuditEntry.Action.NOMINATION_DECLINED).count() == 1


def test_lapse_frees_the_seat_and_promotes_from_the_waitlist(agency, coord):
    session = by_nomination(capacity=1)
    holder = services.nominate(
        session=session, officer=factories.officer(agency_obj=agency), acting_user=coord
    )
    waiting = services.nominate(
        session=session, officer=factories.officer(agency_obj=agency), acting_user=coord
    )
    waiting = services.accept_nomination(nomination=waiting, acting_user=waiting.officer)
    fresh = services.nominate(
        session=session, officer=factories.officer(agency_obj=agency), acting_user=coord
    )
    Nomination.objects.filter(pk=holder.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    Nomination.objects.filter(pk=fresh.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=6)
    )
    call_command("lapse_nominations", "--days", "7")
    holder.refresh_from_db()
    fresh.refresh_from_db()
    waiting.registration.refresh_from_db()
    assert holder.status == N.LAPSED and not holder.holds_seat
    assert fresh.status == N.PENDING
    assert waiting.registration.status == R.CONFIRMED
    entry = AuditEntry.objects.get(action=AuditEntry.Action.NOMINATION_LAPSED)
    assert entry.actor is None and entry.subject == holder.officer
    # Again: nothing new.
    assert services.lapse_nominations(days=7) == []


def test_the_default_lapse_is_the_setting(agency, coord, settings):
    settings.NOMINATION_LAPSE_DAYS = 3
    session = by_nomination()
    nomination = services.nominate(
        session=session, officer=factories.officer(agency_obj=agency), acting_user=coord
    )
    Nomination.objects.filter(pk=nomination.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2, hours=23)
    )
    assert services.lapse_nominations() == []
    Nomination.objects.filter(pk=nomination.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3, minutes=1)
    )
    assert len(services.lapse_nominations()) == 1


# --- Concurrency (PostgreSQL) ---------------------------------------------------------------


def _at_once(callables):
    barrier = threading.Barrier(len(callables))
    errors = []

    def run(fn):
        from django.db import connections

        try:
            barrier.wait()
            fn()
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(fn,)) for fn in callables]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_acceptances_never_overbook_capacity_nor_agency_seats():
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL; SQLite serialises every writer anyway.")
    session = by_nomination(capacity=6, seats_per_agency=4)
    nominations = []
    for _agency_index in range(3):
        agency = factories.agency()
        coord = coordinator(agency)
        for _ in range(6):
            nominations.append(
                services.nominate(
                    session=session, officer=factories.officer(agency_obj=agency), acting_user=coord
                )
            )
    # The first six nominations hold the six seats (four for the first agency, its quota).
    assert sum(n.holds_seat for n in nominations) == 6
    # Let every acceptance race for the seats: nobody holds one, all 18 accept at once.
    Nomination.objects.update(holds_seat=False)
    errors = _at_once(
        [
            (lambda n=n: services.accept_nomination(nomination=n, acting_user=n.officer))
            for n in nominations
        ]
    )
    assert errors == []
    confirmed = Registration.objects.filter(session=session, status=R.CONFIRMED)
    assert confirmed.count() == 6
    per_agency = {}
    for registration in confirmed.select_related("officer__officer_profile"):
        key = registration.officer.officer_profile.agency_id
        per_agency[key] = per_agency.get(key, 0) + 1
    assert max(per_agency.values()) <= 4
    assert Registration.objects.filter(session=session, status=R.WAITLISTED).count() == 12


def test_the_nominee_gets_an_email_in_their_language_with_the_answer_link(
    agency, coord, django_capture_on_commit_callbacks, mailoutbox
):
    session = by_nomination()
    officer = factories.officer(agency_obj=agency, preferred_language="th")
    with django_capture_on_commit_callbacks(execute=True):
        nomination = services.nominate(session=session, officer=officer, acting_user=coord)
    (message,) = mailoutbox
    assert message.to == [officer.email]
    assert f"/th/nominations/{nomination.pk}/" in message.body
    # A refused nomination sends nothing.
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.CoordinatorRefused),
    ):
        services.nominate(session=session, officer=officer, acting_user=coord)
    assert len(mailoutbox) == 1
