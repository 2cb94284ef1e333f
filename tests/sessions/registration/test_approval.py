"""Registration approval: the approve/reject services at their edges, the roster's pending
queue (one by one and in bulk), who may decide, the officer's view of the decision, e-mails
after commit, and constant query counts on the roster and the roll call."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from sessions.models import Registration
from sessions.registration import rules
from sessions.registration import services as registration_services
from tests import factories

pytestmark = pytest.mark.django_db
R = Registration.Status


def future(days):
    return datetime.date.today() + datetime.timedelta(days=days)


@pytest.fixture
def setup():
    s = factories.session(
        eligibility="approval",
        capacity=2,
        days=[(future(20), datetime.time(9), datetime.time(17))],
    )
    trainer = factories.trainer()
    s.trainers.add(trainer)
    return s, trainer


def ask(session, minutes_ago=0, **officer_fields):
    """A pending registration made through the service (as an officer would)."""
    officer = factories.officer(**officer_fields)
    registration = registration_services.register(
        session=session, officer=officer, acting_user=officer
    )
    assert registration.status == R.PENDING
    if minutes_ago:
        Registration.objects.filter(pk=registration.pk).update(
            created_at=registration.created_at - datetime.timedelta(minutes=minutes_ago)
        )
        registration.refresh_from_db()
    return registration


def snapshot():
    return list(Registration.objects.order_by("pk").values())


# --- Services -------------------------------------------------------------------------------


def test_approving_gives_a_seat_and_records_who_and_when(setup):
    s, trainer = setup
    registration = ask(s)
    approved = registration_services.approve_registration(
        registration=registration, acting_user=trainer
    )
    registration.refresh_from_db()
    assert registration.status == R.CONFIRMED
    assert (registration.decided_by, registration.decided_at is not None) == (trainer, True)
    assert approved.decision_changes["status"] == (R.PENDING, R.CONFIRMED)


def test_approving_into_a_full_session_waitlists_in_the_order_officers_asked(setup):
    s, trainer = setup
    factories.registration(session_obj=s)  # one of two seats taken
    late, early, earliest = ask(s, 1), ask(s, 30), ask(s, 60)
    registration_services.approve_registrations(
        session=s, registration_ids=[late.pk, early.pk, earliest.pk], acting_user=trainer
    )
    statuses = {r.pk: r.status for r in Registration.objects.all()}
    # One seat was left: it goes to whoever asked first; the others wait, never over-booking.
    assert statuses[earliest.pk] == R.CONFIRMED
    assert statuses[early.pk] == statuses[late.pk] == R.WAITLISTED
    assert Registration.objects.filter(session=s, status=R.CONFIRMED).count() == s.capacity
    # A freed seat goes to the first in line: the one who asked earlier.
    holder = Registration.objects.filter(session=s, status=R.CONFIRMED).first()
    registration_services.cancel_registration(registration=holder, acting_user=trainer)
    assert Registration.objects.get(pk=early.pk).status == R.CONFIRMED
    assert Registration.objects.get(pk=late.pk).status == R.WAITLISTED


def test_approving_the_last_seat_exactly_confirms(setup):
    s, trainer = setup
    factories.registration(session_obj=s)
    registration = ask(s)
    assert registration_services.approve_registration(
        registration=registration, acting_user=trainer
    ).status == (R.CONFIRMED)


@pytest.mark.parametrize("status", [R.CONFIRMED, R.WAITLISTED, R.CANCELLED])
def test_deciding_a_registration_that_is_not_pending_is_refused_and_writes_nothing(setup, status):
    s, trainer = setup
    registration = factories.registration(session_obj=s, status=status)
    before = snapshot()
    with pytest.raises(registration_services.DecisionRefused) as info:
        registration_services.approve_registration(registration=registration, acting_user=trainer)
    assert info.value.code == "not_pending"
    assert registration.officer.email in info.value.message
    with pytest.raises(registration_services.DecisionRefused):
        registration_services.reject_registration(
            registration=registration, acting_user=trainer, reason="No"
        )
    assert snapshot() == before


def test_a_bulk_decision_with_one_decided_registration_writes_nothing(setup):
    s, trainer = setup
    pending = ask(s)
    decided = factories.registration(session_obj=s, status=R.CONFIRMED)
    before = snapshot()
    with pytest.raises(registration_services.DecisionRefused):
        registration_services.approve_registrations(
            session=s, registration_ids=[pending.pk, decided.pk], acting_user=trainer
        )
    assert snapshot() == before


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_rejecting_without_a_reason_is_refused(setup, reason):
    s, trainer = setup
    registration = ask(s)
    before = snapshot()
    with pytest.raises(registration_services.DecisionRefused) as info:
        registration_services.reject_registration(
            registration=registration, acting_user=trainer, reason=reason
        )
    assert info.value.code == "no_reason"
    assert snapshot() == before


def test_rejecting_records_the_reason_the_officer_reads(setup):
    s, trainer = setup
    registration = ask(s)
    registration_services.reject_registration(
        registration=registration, acting_user=trainer, reason="  For prosecutors only.  "
    )
    registration.refresh_from_db()
    assert (registration.status, registration.rejection_reason) == (
        R.REJECTED,
        "For prosecutors only.",
    )
    assert registration.decided_by == trainer
    refusal = rules.registration_refusal(session=s, officer=registration.officer)
    assert refusal.code == "rejected" and "For prosecutors only." in refusal.message


def test_only_the_sessions_trainers_and_leads_decide(setup):
    s, _trainer = setup
    registration = ask(s)
    before = snapshot()
    for outsider in (factories.trainer(), factories.officer(), registration.officer):
        with pytest.raises(registration_services.DecisionRefused) as info:
            registration_services.approve_registration(
                registration=registration, acting_user=outsider
            )
        assert info.value.code == "not_allowed"
    assert snapshot() == before
    registration_services.approve_registration(
        registration=registration, acting_user=factories.lead()
    )
    assert Registration.objects.get(pk=registration.pk).status == R.CONFIRMED


def test_registrations_of_another_session_or_none_are_refused(setup):
    s, trainer = setup
    other = factories.session(eligibility="approval")
    foreign = factories.registration(session_obj=other, status=R.PENDING)
    with pytest.raises(registration_services.DecisionRefused) as info:
        registration_services.approve_registrations(
            session=s, registration_ids=[foreign.pk], acting_user=trainer
        )
    assert info.value.code == "not_on_session"
    with pytest.raises(registration_services.DecisionRefused) as info:
        registration_services.approve_registrations(
            session=s, registration_ids=[], acting_user=trainer
        )
    assert info.value.code == "none_selected"


def test_a_session_that_is_not_scheduled_takes_no_decisions(setup):
    s, trainer = setup
    registration = ask(s)
    s.status = "cancelled"
    s.cancellation_reason = "Venue closed."
    s.save()
    with pytest.raises(registration_services.DecisionRefused) as info:
        registration_services.approve_registration(registration=registration, acting_user=trainer)
    assert info.value.code == "not_scheduled"


def test_decisions_are_emailed_after_commit_with_the_ics_for_a_seat(
    setup, django_capture_on_commit_callbacks
):
    s, trainer = setup
    factories.registration(session_obj=s)
    seat, line, no = ask(s, 30), ask(s, 20), ask(s, 10)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        registration_services.approve_registrations(
            session=s, registration_ids=[seat.pk, line.pk], acting_user=trainer
        )
        registration_services.reject_registration(
            registration=no, acting_user=trainer, reason="Full house."
        )
    assert mail.outbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    by_address = {message.to[0]: message for message in mail.outbox}
    assert len(mail.outbox) == 3
    confirmed = by_address[seat.officer.email]
    assert "Approved" in confirmed.subject
    (name, content, mimetype) = confirmed.attachments[0]
    assert (name, mimetype) == (f"{s.reference}.ics", "text/calendar")
    events = list(Calendar.from_ical(content).walk("VEVENT"))
    assert events and s.reference in str(events[0]["SUMMARY"]) + str(events[0]["UID"])
    waitlisted = by_address[line.officer.email]
    assert "waitlist" in waitlisted.body and not waitlisted.attachments
    rejected = by_address[no.officer.email]
    assert "Full house." in rejected.body and not rejected.attachments


# --- Views ----------------------------------------------------------------------------------


def decide_url(s):
    return reverse("training_sessions:decide_registrations", args=[s.reference])


def roster_url(s):
    return reverse("training_sessions:roster", args=[s.reference])


def test_decide_view_permissions(client, setup):
    s, trainer = setup
    registration = ask(s)
    data = {"approve_one": registration.pk}
    assert "/accounts/login/" in client.post(decide_url(s), data)["Location"]
    for outsider in (factories.officer(), factories.trainer(), registration.officer):
        client.force_login(outsider)
        assert client.post(decide_url(s), data).status_code == 404
    assert Registration.objects.get(pk=registration.pk).status == R.PENDING
    client.force_login(trainer)
    assert client.get(decide_url(s)).status_code == 405
    assert client.post(decide_url(s), data)["Location"].startswith(roster_url(s))
    assert Registration.objects.get(pk=registration.pk).status == R.CONFIRMED


def test_the_roster_lists_pending_registrations_with_approve_and_reject(client, setup):
    s, trainer = setup
    registration = ask(s)
    client.force_login(trainer)
    page = client.get(roster_url(s)).content.decode()
    assert 'id="roster-pending"' in page
    assert f'name="approve_one" value="{registration.pk}"' in page
    assert f'name="reject_one" value="{registration.pk}"' in page
    assert 'name="reason"' in page


def test_bulk_approve_and_bulk_reject_from_the_roster(client, setup):
    s, _trainer = setup
    a, b, c = ask(s, 3), ask(s, 2), ask(s, 1)
    client.force_login(factories.lead())
    client.post(decide_url(s), {"action": "approve", "registration": [a.pk, b.pk]})
    client.post(
        decide_url(s), {"action": "reject", "registration": [c.pk], "reason": "Not eligible."}
    )
    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert (statuses[a.pk], statuses[b.pk], statuses[c.pk]) == (
        R.CONFIRMED,
        R.CONFIRMED,
        R.REJECTED,
    )
    page = client.get(roster_url(s)).content.decode()
    assert "Not eligible." in page


def test_reject_from_the_roster_without_a_reason_says_so_and_writes_nothing(client, setup):
    s, trainer = setup
    registration = ask(s)
    client.force_login(trainer)
    response = client.post(
        decide_url(s), {"reject_one": registration.pk, "reason": ""}, follow=True
    )
    assert "Give the officer a reason" in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).status == R.PENDING


def test_the_officer_sees_pending_and_rejected_with_the_reason(client, setup):
    s, trainer = setup
    pending = ask(s)
    client.force_login(pending.officer)
    assert "awaits the programme" in client.get(s.get_absolute_url()).content.decode()
    my_page = client.get(reverse("my_training:index")).content.decode()
    assert 'data-registration-status="pending"' in my_page and s.reference in my_page
    registration_services.reject_registration(
        registration=pending, acting_user=trainer, reason="Wrong unit."
    )
    session_page = client.get(s.get_absolute_url()).content.decode()
    assert 'data-refusal="rejected"' in session_page and "Wrong unit." in session_page
    my_page = client.get(reverse("my_training:index")).content.decode()
    assert 'data-registration-status="rejected"' in my_page and "Wrong unit." in my_page
    # Another officer sees nothing of it.
    client.force_login(factories.officer())
    assert "Wrong unit." not in client.get(reverse("my_training:index")).content.decode()


# --- Query budgets: 10 vs 200 rows ----------------------------------------------------------


def _fill(session, n, status):
    agency_obj = factories.agency()
    for _ in range(n):
        factories.registration(
            session_obj=session, officer_obj=factories.officer(agency_obj=agency_obj), status=status
        )


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_roster_query_count_is_the_same_for_10_and_200_registrations(client, setup):
    s, trainer = setup
    client.force_login(trainer)
    _fill(s, 5, R.CONFIRMED)
    _fill(s, 5, R.PENDING)
    ten = _queries(client, roster_url(s))
    _fill(s, 95, R.CONFIRMED)
    _fill(s, 95, R.PENDING)
    assert Registration.objects.filter(session=s).count() == 200
    assert _queries(client, roster_url(s)) == ten


def test_roll_call_query_count_is_the_same_for_10_and_200_people(client, setup):
    s, trainer = setup
    client.force_login(trainer)
    url = reverse("training_sessions:roll_call", args=[s.reference])
    _fill(s, 10, R.CONFIRMED)
    for registration in Registration.objects.all()[:5]:
        factories.day_attendance(registration_obj=registration)
    ten = _queries(client, url)
    _fill(s, 190, R.CONFIRMED)
    for registration in Registration.objects.all()[5:100]:
        factories.day_attendance(registration_obj=registration)
    assert _queries(client, url) == ten


# --- Audit ----------------------------------------------------------------------------------


def test_approval_and_rejection_leave_audit_entries_with_before_and_after(setup):
    from audit.models import AuditEntry

    s, trainer = setup
    first, second = ask(s), ask(s)
    registration_services.approve_registration(registration=first, acting_user=trainer)
    registration_services.reject_registration(
        registration=second, acting_user=trainer, reason="Not an FIU."
    )
    approved = AuditEntry.objects.get(action=AuditEntry.Action.REGISTRATION_APPROVED)
    assert (approved.actor, approved.subject) == (trainer, first.officer)
    assert approved.before["status"] == R.PENDING
    assert approved.after["status"] == R.CONFIRMED
    assert approved.after["decided_by_id"] == trainer.pk
    rejected = AuditEntry.objects.get(action=AuditEntry.Action.REGISTRATION_REJECTED)
    assert rejected.subject == second.officer
    assert rejected.after["rejection_reason"] == "Not an FIU."


def test_a_refused_decision_leaves_no_audit_entry(setup):
    from audit.models import AuditEntry

    s, trainer = setup
    registration = ask(s)
    with pytest.raises(registration_services.DecisionRefused):
        registration_services.reject_registration(
            registration=registration, acting_user=trainer, reason=" "
        )
    # Registering left its own entry; the refused decision leaves none.
    decisions = [AuditEntry.Action.REGISTRATION_APPROVED, AuditEntry.Action.REGISTRATION_REJECTED]
    assert not AuditEntry.objects.filter(action__in=decisions).exists()
