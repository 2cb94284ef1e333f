"""Who a message reaches, by each criterion, on hand-made rosters."""

import datetime

import pytest

from attendees.models import Jurisdiction
from communications.selectors import (
    AudienceChoice,
    AudienceRefused,
    messages_for_officer,
    recipient_registrations,
)
from tests import factories

pytestmark = pytest.mark.django_db

DAY1, DAY2 = datetime.date(2024, 3, 4), datetime.date(2024, 3, 5)


def day(date):
    return (date, datetime.time(9), datetime.time(17))


def emails(session, **choice):
    return {r.officer.email for r in recipient_registrations(session, AudienceChoice(**choice))}


@pytest.fixture
def roster():
    """A two-day session that has taken place: Ann there both days, Bob on day 1 only, Cleo on
    no day, Dan excused on day 2, Eve waitlisted, Fay pending, Gus cancelled (though marked
    present before he cancelled)."""
    session = factories.session(days=[day(DAY1), day(DAY2)])
    hk, fr = factories.agency(country="HK"), factories.agency(country="FR")
    people = {
        name: factories.officer(email=f"{name}@police.example", agency_obj=agency)
        for name, agency in [
            ("ann", hk),
            ("bob", hk),
            ("cleo", fr),
            ("dan", fr),
            ("eve", hk),
            ("fay", fr),
            ("gus", hk),
        ]
    }
    factories.attended(session_obj=session, officer_obj=people["ann"], statuses=("present", "late"))
    factories.attended(
        session_obj=session, officer_obj=people["bob"], statuses=("present", "absent")
    )
    factories.registration(session_obj=session, officer_obj=people["cleo"])
    factories.attended(session_obj=session, officer_obj=people["dan"], statuses=("late", "excused"))
    factories.registration(session_obj=session, officer_obj=people["eve"], status="waitlisted")
    factories.registration(session_obj=session, officer_obj=people["fay"], status="pending")
    gus = factories.attended(session_obj=session, officer_obj=people["gus"])
    gus.status = "cancelled"
    gus.save()
    days = {d.date: d for d in session.days.all()}
    return session, people, days, hk, fr


def test_by_status(roster):
    session, *_ = roster
    confirmed = {"ann@police.example", "bob@police.example", "cleo@police.example"}
    assert emails(session, kind="confirmed") == confirmed | {"dan@police.example"}
    assert emails(session, kind="waitlisted") == {"eve@police.example"}
    assert emails(session, kind="pending") == {"fay@police.example"}


def test_present_and_absent_on_a_day_use_present_or_late_of_a_confirmed_registration(roster):
    session, _people, days, *_ = roster
    assert emails(session, kind="present", day_id=days[DAY2].pk) == {"ann@police.example"}
    # Absent: marked absent or excused, or not marked; never the cancelled, waitlisted, pending.
    assert emails(session, kind="absent", day_id=days[DAY2].pk) == {
        "bob@police.example",
        "cleo@police.example",
        "dan@police.example",
    }
    assert emails(session, kind="present", day_id=days[DAY1].pk) == {
        "ann@police.example",
        "bob@police.example",
        "dan@police.example",
    }
    assert emails(session, kind="absent", day_id=days[DAY1].pk) == {"cleo@police.example"}


def test_no_shows_are_confirmed_and_attended_no_day(roster):
    session, *_ = roster
    assert emails(session, kind="no_show") == {"cleo@police.example"}


def test_by_agency_and_by_country_reach_the_confirmed_only(roster):
    session, _people, _days, hk, _fr = roster
    assert emails(session, kind="agency", agency_id=hk.pk) == {
        "ann@police.example",
        "bob@police.example",
    }
    assert emails(session, kind="country", country="FR") == {
        "cleo@police.example",
        "dan@police.example",
    }


def test_a_subdivision_counts_for_its_country():
    session = factories.session()
    hk = Jurisdiction.objects.get(code="HK")
    sub = Jurisdiction.objects.create(
        code="HK-ZZ", name="Test district", kind=Jurisdiction.Kind.SUBDIVISION, parent=hk
    )
    officer = factories.officer(
        email="zed@police.example", agency_obj=factories.agency(country="HK-ZZ")
    )
    factories.registration(session_obj=session, officer_obj=officer)
    assert sub.parent_id == hk.pk
    assert emails(session, kind="country", country="HK") == {"zed@police.example"}


def test_ticked_people_only_among_this_sessions_active_registrations(roster):
    session, *_ = roster
    regs = {r.officer.email.split("@")[0]: r.pk for r in session.registrations.all()}
    elsewhere = factories.registration(session_obj=factories.session())
    chosen = (regs["eve"], regs["ann"], regs["gus"], elsewhere.pk)
    assert emails(session, kind="chosen", registration_ids=chosen) == {
        "ann@police.example",
        "eve@police.example",
    }


def test_switched_off_accounts_are_not_written_to(roster):
    session, people, *_ = roster
    people["cleo"].is_active = False
    people["cleo"].save()
    assert "cleo@police.example" not in emails(session, kind="confirmed")


def test_attendance_of_a_day_not_yet_begun_is_refused():
    future = factories.session(days=[day(datetime.date(2030, 3, 4))])
    factories.registration(session_obj=future)
    with pytest.raises(AudienceRefused):
        emails(future, kind="absent", day_id=future.days.get().pk)
    with pytest.raises(AudienceRefused):
        emails(future, kind="no_show")
    # The edge: once the day has begun, it may be asked about.
    now = future.days.get().starts_at
    registrations = recipient_registrations(
        future, AudienceChoice(kind="absent", day_id=future.days.get().pk), now=now
    )
    assert len(registrations) == 1


def test_a_day_of_another_session_is_refused(roster):
    session, *_ = roster
    other = factories.session(days=[day(DAY1)])
    with pytest.raises(AudienceRefused):
        emails(session, kind="present", day_id=other.days.get().pk)


def test_missing_agency_or_country_is_refused(roster):
    session, *_ = roster
    for kind in ("agency", "country", "nonsense"):
        with pytest.raises(AudienceRefused):
            emails(session, kind=kind)


def test_an_officer_reads_only_messages_addressed_to_them(roster):
    from communications import services

    session, people, *_ = roster
    trainer = factories.trainer()
    session.trainers.add(trainer)
    services.send_message(
        session=session,
        acting_user=trainer,
        subject="To the waitlist",
        body="Still hoping.",
        choice=AudienceChoice(kind="waitlisted"),
    )
    assert [m.subject for m in messages_for_officer(people["eve"])] == ["To the waitlist"]
    assert messages_for_officer(people["ann"]) == []
    assert messages_for_officer(people["eve"], session=factories.session()) == []
