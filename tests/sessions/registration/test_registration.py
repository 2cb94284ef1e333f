"""Registration: the rules with their reasons, capacity, the waitlist, cancelling, e-mails and
the register/cancel views."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from sessions.models import Registration, TrainingSession
from sessions.registration import rules
from sessions.registration import services as registration_services
from sessions.schedule import services as schedule_services
from tests import factories

pytestmark = pytest.mark.django_db
R = Registration.Status


def future(days):
    return datetime.date.today() + datetime.timedelta(days=days)


def upcoming(**fields):
    days = fields.pop("days", [(future(20), datetime.time(9), datetime.time(17))])
    return factories.session(days=days, **fields)


def snapshot():
    return list(Registration.objects.order_by("pk").values())


def refused(session, officer):
    before = snapshot()
    with pytest.raises(rules.RegistrationRefused) as info:
        registration_services.register(session=session, officer=officer, acting_user=officer)
    assert snapshot() == before
    return info.value


# --- Refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "delivered", "cancelled"])
def test_only_scheduled_sessions_take_registrations(status):
    s = upcoming(status=status)
    assert refused(s, factories.officer()).code == "not_scheduled"


def test_before_the_window_opens_is_refused_and_says_when():
    s = upcoming(registration_opens=timezone.now() + datetime.timedelta(hours=1))
    refusal = refused(s, factories.officer())
    assert refusal.code == "not_open_yet"
    assert "opens" in refusal.message


def test_window_edges():
    officer = factories.officer()
    s = upcoming(
        registration_opens=timezone.now() - datetime.timedelta(seconds=1),
        registration_closes=timezone.now() + datetime.timedelta(minutes=5),
    )
    reg = registration_services.register(session=s, officer=officer, acting_user=officer)
    assert reg.status == R.CONFIRMED
    closed = upcoming(registration_closes=timezone.now() - datetime.timedelta(seconds=1))
    assert refused(closed, factories.officer()).code == "closed"


def test_a_session_whose_first_day_started_is_closed():
    now = timezone.localtime()
    s = upcoming(
        time_zone=timezone.get_current_timezone_name(),
        days=[(now.date(), datetime.time(0), datetime.time(23, 59))],
    )
    assert refused(s, factories.officer()).code == "closed"


def test_unverified_officers_and_non_officers_are_refused():
    s = upcoming()
    assert refused(s, factories.officer(verified=False)).code == "not_verified"
    assert refused(s, factories.trainer()).code == "not_officer"


def test_named_agencies_and_jurisdictions():
    hk, sg = factories.agency(country="HK"), factories.agency(country="SG")
    s = upcoming(eligibility=TrainingSession.Eligibility.NAMED)
    s.eligible_agencies.add(hk)
    assert refused(s, factories.officer(agency_obj=sg)).code == "not_eligible"
    ok = factories.officer(agency_obj=hk)
    assert (
        registration_services.register(session=s, officer=ok, acting_user=ok).status == R.CONFIRMED
    )

    by_country = upcoming(eligibility=TrainingSession.Eligibility.NAMED)
    by_country.eligible_jurisdictions.add(sg.jurisdiction)
    assert refused(by_country, factories.officer(agency_obj=hk)).code == "not_eligible"
    sg_officer = factories.officer(agency_obj=sg)
    reg = registration_services.register(
        session=by_country, officer=sg_officer, acting_user=sg_officer
    )
    assert reg.status == R.CONFIRMED


def test_invitation_only():
    s = upcoming(eligibility=TrainingSession.Eligibility.INVITATION)
    assert refused(s, factories.officer()).code == "not_invited"
    invited = factories.officer()
    s.invited_officers.add(invited)
    assert (
        registration_services.register(session=s, officer=invited, acting_user=invited).status
        == R.CONFIRMED
    )


def test_approval_needed_makes_it_pending_even_with_seats():
    s = upcoming(eligibility=TrainingSession.Eligibility.APPROVAL, capacity=5)
    officer = factories.officer()
    assert (
        registration_services.register(session=s, officer=officer, acting_user=officer).status
        == R.PENDING
    )


@pytest.mark.parametrize("status", [R.CONFIRMED, R.WAITLISTED, R.PENDING])
def test_a_duplicate_is_refused(status):
    s = upcoming()
    officer = factories.officer()
    factories.registration(session_obj=s, officer_obj=officer, status=status)
    assert refused(s, officer).code == "duplicate"


def test_a_rejected_officer_cannot_register_again():
    s = upcoming()
    officer = factories.officer()
    Registration.objects.create(
        session=s, officer=officer, status=R.REJECTED, rejection_reason="Not in the audience."
    )
    refusal = refused(s, officer)
    assert refusal.code == "rejected"
    assert "Not in the audience." in refusal.message


def test_a_cancelled_registration_re_registers_on_the_same_row_at_the_end_of_the_line():
    s = upcoming(capacity=1)
    officer = factories.officer()
    old = factories.registration(session_obj=s, officer_obj=officer, status=R.CANCELLED)
    factories.registration(session_obj=s)
    reg = registration_services.register(session=s, officer=officer, acting_user=officer)
    assert reg.pk == old.pk
    assert reg.status == R.WAITLISTED


# --- Capacity and the waitlist --------------------------------------------------------------


def test_the_last_seat_is_confirmed_then_the_waitlist_opens_in_order():
    s = upcoming(capacity=2)
    factories.registration(session_obj=s)
    last, first_waiting, second_waiting = (factories.officer() for _ in range(3))
    assert (
        registration_services.register(session=s, officer=last, acting_user=last).status
        == R.CONFIRMED
    )
    for officer in (first_waiting, second_waiting):
        assert registration_services.register(
            session=s, officer=officer, acting_user=officer
        ).status == (R.WAITLISTED)
    waiting = Registration.objects.filter(session=s, status=R.WAITLISTED).order_by(
        "created_at", "pk"
    )
    assert [r.officer for r in waiting] == [first_waiting, second_waiting]


def test_cancelling_a_confirmed_seat_promotes_the_first_in_line_and_emails_both(
    django_capture_on_commit_callbacks,
):
    s = upcoming(capacity=1)
    holder = factories.registration(session_obj=s)
    first, second = factories.officer(), factories.officer()
    for officer in (first, second):
        registration_services.register(session=s, officer=officer, acting_user=officer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registration_services.cancel_registration(registration=holder, acting_user=holder.officer)
    statuses = dict(Registration.objects.filter(session=s).values_list("officer", "status"))
    assert statuses == {
        holder.officer.pk: R.CANCELLED,
        first.pk: R.CONFIRMED,
        second.pk: R.WAITLISTED,
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted([holder.officer.email, first.email])
    promoted = next(m for m in mail.outbox if m.to == [first.email])
    assert promoted.attachments and promoted.attachments[0][0] == f"{s.reference}.ics"


def test_cancelling_a_waitlisted_place_promotes_nobody():
    s = upcoming(capacity=1)
    factories.registration(session_obj=s)
    waiting = factories.registration(session_obj=s, status=R.WAITLISTED)
    behind = factories.registration(session_obj=s, status=R.WAITLISTED)
    registration_services.cancel_registration(registration=waiting, acting_user=waiting.officer)
    behind.refresh_from_db()
    assert behind.status == R.WAITLISTED


def test_raising_capacity_through_the_admin_save_promotes_in_order():
    lead = factories.lead()
    s = upcoming(capacity=1)
    factories.registration(session_obj=s)
    first = factories.registration(session_obj=s, status=R.WAITLISTED)
    second = factories.registration(session_obj=s, status=R.WAITLISTED)
    third = factories.registration(session_obj=s, status=R.WAITLISTED)
    s.capacity = 3
    s.save()
    schedule_services.record_admin_save(session=s, acting_user=lead, created=False)
    for reg, status in ((first, R.CONFIRMED), (second, R.CONFIRMED), (third, R.WAITLISTED)):
        reg.refresh_from_db()
        assert reg.status == status


# --- Cancelling -----------------------------------------------------------------------------


def test_officers_cannot_cancel_once_the_first_day_started_but_trainers_can():
    now = timezone.localtime()
    s = upcoming(
        time_zone=timezone.get_current_timezone_name(),
        days=[(now.date(), datetime.time(0), datetime.time(23, 59))],
    )
    trainer = factories.trainer()
    s.trainers.add(trainer)
    reg = factories.registration(session_obj=s)
    with pytest.raises(rules.RegistrationRefused) as info:
        registration_services.cancel_registration(registration=reg, acting_user=reg.officer)
    assert info.value.code == "started"
    registration_services.cancel_registration(registration=reg, acting_user=trainer)
    reg.refresh_from_db()
    assert reg.status == R.CANCELLED


def test_an_officer_cannot_cancel_another_officers_registration_in_the_service():
    s = upcoming()
    reg = factories.registration(session_obj=s)
    with pytest.raises(rules.RegistrationRefused) as info:
        registration_services.cancel_registration(registration=reg, acting_user=factories.officer())
    assert info.value.code == "not_yours"


# --- E-mail ---------------------------------------------------------------------------------


def test_confirmation_carries_the_ics_with_the_join_link(django_capture_on_commit_callbacks):
    s = upcoming(delivery="remote", join_url="https://meet.example/secret-room")
    officer = factories.officer()
    with django_capture_on_commit_callbacks(execute=True):
        registration_services.register(session=s, officer=officer, acting_user=officer)
    (message,) = mail.outbox
    assert message.to == [officer.email]
    assert "https://meet.example/secret-room" in message.body
    name, content, mimetype = message.attachments[0]
    assert name == f"{s.reference}.ics" and mimetype.startswith("text/calendar")
    unfolded = content.replace("\r\n ", "")
    assert "BEGIN:VEVENT" in unfolded and "secret-room" in unfolded


def test_waitlisted_mail_has_no_join_link_nor_ics(django_capture_on_commit_callbacks):
    s = upcoming(capacity=0, delivery="remote", join_url="https://meet.example/secret-room")
    officer = factories.officer()
    with django_capture_on_commit_callbacks(execute=True):
        registration_services.register(session=s, officer=officer, acting_user=officer)
    (message,) = mail.outbox
    assert "secret-room" not in message.body and not message.attachments


def test_a_refusal_sends_nothing(django_capture_on_commit_callbacks):
    s = upcoming(status="draft")
    officer = factories.officer()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(rules.RegistrationRefused),
    ):
        registration_services.register(session=s, officer=officer, acting_user=officer)
    assert mail.outbox == []


# --- Views ----------------------------------------------------------------------------------


def test_register_view_needs_login_and_post(client):
    s = upcoming()
    url = reverse("training_sessions:register", args=[s.reference])
    response = client.post(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(factories.officer())
    assert client.get(url).status_code == 405
    assert not Registration.objects.exists()


def test_register_view_registers_and_the_page_shows_the_join_link_only_when_confirmed(client):
    s = upcoming(capacity=1, delivery="remote", join_url="https://meet.example/room-42")
    officer, other = factories.officer(), factories.officer()
    client.force_login(officer)
    page = client.get(s.get_absolute_url()).content.decode()
    assert "room-42" not in page and ">Register<" in page
    response = client.post(reverse("training_sessions:register", args=[s.reference]), follow=True)
    assert Registration.objects.get(officer=officer).status == R.CONFIRMED
    assert "room-42" in response.content.decode()
    client.force_login(other)
    page = client.get(s.get_absolute_url()).content.decode()
    assert "Join the waitlist" in page and "room-42" not in page
    client.post(reverse("training_sessions:register", args=[s.reference]))
    page = client.get(s.get_absolute_url()).content.decode()
    assert Registration.objects.get(officer=other).status == R.WAITLISTED
    assert "waitlist" in page and "room-42" not in page


def test_the_page_shows_the_refusal_reason(client):
    s = upcoming(eligibility=TrainingSession.Eligibility.INVITATION)
    client.force_login(factories.officer())
    page = client.get(s.get_absolute_url()).content.decode()
    assert 'data-refusal="not_invited"' in page and "invitation only" in page


def test_cancel_view_permissions(client):
    s = upcoming()
    reg = factories.registration(session_obj=s)
    url = reverse("training_sessions:cancel_registration", args=[reg.pk])
    assert "/accounts/login/" in client.post(url)["Location"]
    client.force_login(factories.officer())
    assert client.post(url).status_code == 404
    client.force_login(factories.trainer())  # not this session's trainer
    assert client.post(url).status_code == 404
    reg.refresh_from_db()
    assert reg.status == R.CONFIRMED
    client.force_login(reg.officer)
    assert client.post(url).status_code == 302
    reg.refresh_from_db()
    assert reg.status == R.CANCELLED


def test_the_sessions_trainer_and_a_lead_cancel_anyones(client):
    s = upcoming()
    trainer = factories.trainer()
    s.trainers.add(trainer)
    for staff in (trainer, factories.lead()):
        reg = factories.registration(session_obj=s)
        client.force_login(staff)
        client.post(reverse("training_sessions:cancel_registration", args=[reg.pk]))
        reg.refresh_from_db()
        assert reg.status == R.CANCELLED


# --- Concurrency (PostgreSQL) ---------------------------------------------------------------


@pytest.mark.postgres
# serialized_rollback: a transactional test empties the tables; the snapshot brings back the
# rows migrations made (the catalogue page the course factory needs) for the tests after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_officers_at_once_fill_ten_seats_exactly():
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL; SQLite serialises every writer anyway.")
    s = upcoming(capacity=10)
    officers = [factories.officer() for _ in range(50)]
    barrier = threading.Barrier(len(officers))
    errors = []

    def attempt(officer):
        from django.db import connections

        try:
            barrier.wait()
            registration_services.register(session=s, officer=officer, acting_user=officer)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(o,)) for o in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    regs = list(Registration.objects.filter(session=s).order_by("created_at", "pk"))
    assert [r.status for r in regs].count(R.CONFIRMED) == 10
    assert [r.status for r in regs].count(R.WAITLISTED) == 40
    # Stable order: every confirmed seat was taken before anyone joined the waitlist.
    assert [r.status for r in regs] == [R.CONFIRMED] * 10 + [R.WAITLISTED] * 40
    first_waiting = regs[10]
    registration_services.cancel_registration(registration=regs[0], acting_user=regs[0].officer)
    first_waiting.refresh_from_db()
    assert first_waiting.status == R.CONFIRMED
    assert Registration.objects.filter(session=s, status=R.CONFIRMED).count() == 10


def test_the_cancellation_mail_carries_a_calendar_cancellation_with_the_same_uids(
    django_capture_on_commit_callbacks,
):
    """The event leaves the officer's calendar: METHOD:CANCEL, the UIDs of the invitation they
    imported, STATUS:CANCELLED, a higher SEQUENCE and no reminder."""
    from icalendar import Calendar

    from sessions.calendar import day_uid

    s = upcoming(days=[(future(10), datetime.time(9), datetime.time(17))])
    reg = factories.registration(session_obj=s)
    with django_capture_on_commit_callbacks(execute=True):
        registration_services.cancel_registration(registration=reg, acting_user=reg.officer)
    (message,) = mail.outbox
    name, content, mimetype = message.attachments[0]
    assert name == f"{s.reference}.ics" and mimetype.startswith("text/calendar")
    cal = Calendar.from_ical(content)
    assert str(cal["METHOD"]) == "CANCEL"
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == day_uid(s, s.days.get())
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) > s.sequence
    assert not event.walk("VALARM")


def test_cancelling_a_session_mails_every_confirmed_waitlisted_and_pending_registrant(
    django_capture_on_commit_callbacks,
):
    """Everyone who held or awaited a place hears, with the calendar cancellation (same UIDs);
    people who had already cancelled or were rejected hear nothing."""
    from icalendar import Calendar

    from sessions.calendar import day_uid

    s = upcoming(days=[(future(10), datetime.time(9), datetime.time(17))])
    told = [
        factories.registration(session_obj=s, status=st)
        for st in (R.CONFIRMED, R.WAITLISTED, R.PENDING)
    ]
    factories.registration(session_obj=s, status=R.CANCELLED)
    rejected = factories.registration(session_obj=s, status=R.PENDING)
    Registration.objects.filter(pk=rejected.pk).update(
        status=R.REJECTED, rejection_reason="Not eligible."
    )
    with django_capture_on_commit_callbacks(execute=True):
        schedule_services.change_status(
            session=s,
            status=TrainingSession.Status.CANCELLED,
            acting_user=None,
            reason="Venue closed.",
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.officer.email for r in told)
    for message in mail.outbox:
        assert s.reference in message.subject and "cancelled" in message.subject.lower()
        assert "Venue closed." in message.body
        (_name, content, _mimetype) = message.attachments[0]
        cal = Calendar.from_ical(content)
        assert str(cal["METHOD"]) == "CANCEL"
        (event,) = cal.walk("VEVENT")
        assert str(event["UID"]) == day_uid(s, s.days.get())


def test_a_refused_session_cancellation_mails_nobody(django_capture_on_commit_callbacks):
    s = upcoming()
    factories.registration(session_obj=s)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        schedule_services.change_status(
            session=s, status=TrainingSession.Status.CANCELLED, acting_user=None, reason=" "
        )
    assert mail.outbox == []
