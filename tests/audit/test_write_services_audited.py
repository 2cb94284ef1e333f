"""Every write service leaves an audit entry.

The test walks the service modules (every `services` module under sessions/, and those of
attendees, certificates, courses, privacy and reports) and sorts each public function they
define into one of two lists: CASES, which call it with small fixtures and expect a new
AuditEntry, or NOT_AUDITED, which says why a function writes nothing with consequences (reads,
checks, bookkeeping, or a write that Wagtail's own log records). A new service function in
neither list fails the walk; a write service that stops auditing fails its case.
"""

import datetime
import importlib
import inspect
import pkgutil

import pytest

import sessions
from audit.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


def service_modules():
    names = [
        "attendees.services",
        "certificates.services",
        "coordinators.services",
        "credentials.services",
        "communications.services",
        "courses.services",
        "privacy.services",
        "reports.services",
    ]
    for info in pkgutil.walk_packages(sessions.__path__, "sessions."):
        if info.name.rsplit(".", 1)[-1] == "services":
            names.append(info.name)
    return [importlib.import_module(name) for name in names]


def public_functions():
    """(module name, function name) of every public function a service module defines."""
    found = set()
    for module in service_modules():
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and fn.__module__ == module.__name__:
                found.add(name)
    return found


NOT_AUDITED = {
    # Entry points of the task worker that call an audited service.
    "run_job": "the worker's entry to import_history (audited, case import_history); the job's "
    "own start and end are audited by jobs.services and jobs.runner",
    # Reads and checks.
    "find_trainer_clashes": "read: which other sessions clash",
    "check_trainer_clashes": "check: raises, writes nothing",
    "transition_error": "read: the refusal message of a status change",
    "next_reference": "read: a free session reference",
    "domain_owners": "read: the agencies owning an e-mail domain",
    "agency_references": "read: what points at an agency",
    "merge_preview": "read: what a merge would move",
    "record_export": "is itself the audit entry of an export",
    "preview_session": "read: who would get a certificate",
    "personal_data": "read: the person's data, as export_personal_data writes it out",
    "pending_request": "read: an open erasure request",
    "is_erased": "read",
    "years_before": "read: date arithmetic",
    "inactive_officers": "read: officers inactive for years",
    "anonymise_inactive": "calls anonymise_officer (audited) for each inactive officer",
    "check_file": "read: the plan of a history import",
    "nomination_refusal": "read: why a nomination is refused",
    # Bookkeeping without consequences for anyone.
    "bump_sequence": "calendar SEQUENCE; part of a save its caller audits or logs",
    "feed_token_for": "the person's own feed secret, made on first view",
    "regenerate_feed_token": "the person's own feed secret, replaced at their request",
    "queue_session_reminders": "marks reminders sent (reminded_at) so cron sends each once",
    "refresh_participated": "derived flag, refreshed inside record_attendance (audited)",
    # Writes Wagtail's own log records (shown in the object's admin history).
    "record_admin_save": "the admin's create/edit of a session, in Wagtail's log",
    "schedule_again": "a new draft (no registrations): scheduling it is change_status",
    "sign_up_officer": "sign-up, in Wagtail's log; verification is audited",
    "resolve_agency_request": "in Wagtail's log; the verification it may cause is audited",
    "create_agency_from_request": "in Wagtail's log; the verification it may cause is audited",
    "reject_agency_request": "in Wagtail's log",
    "issue_credential": "called inside issue_certificate/reissue: their certificate.issued and "
    "certificate.reissued entries record it",
    "end_credential": "called inside revoke/reissue: their entries record the status change",
    "issue_missing_credentials": "bookkeeping: signs credentials of certificates whose issue "
    "is already audited, changing no certificate",
}

TWO_DAYS = [
    (datetime.date(2030, 3, 4), datetime.time(9), datetime.time(17)),
    (datetime.date(2030, 3, 5), datetime.time(9), datetime.time(17)),
]


def _s():
    """The sessions write services, by name, whichever business area holds them."""
    from types import SimpleNamespace

    names = {}
    for module in service_modules():
        if module.__name__.startswith("sessions."):
            names.update(vars(module))
    return SimpleNamespace(**names)


def _with_trainer(**fields):
    s = factories.session(**fields)
    trainer = factories.trainer()
    s.trainers.add(trainer)
    return s, trainer


def case_register():
    s = factories.session()
    officer = factories.officer()
    _s().register(session=s, officer=officer, acting_user=officer)


def case_cancel_registration():
    registration = factories.registration(session_obj=factories.session())
    _s().cancel_registration(registration=registration, acting_user=registration.officer)


def case_fill_free_seats():
    s, trainer = _with_trainer(capacity=1)
    factories.registration(session_obj=s)
    factories.registration(session_obj=s, status="waitlisted")
    type(s).objects.filter(pk=s.pk).update(capacity=2)
    assert _s().fill_free_seats(session=s, acting_user=trainer)


def case_change_status():
    s = factories.session()
    _s().change_status(
        session=s, status="cancelled", reason="Trainer ill.", acting_user=factories.lead()
    )


def _pending():
    s, trainer = _with_trainer(eligibility="approval")
    return factories.registration(session_obj=s, status="pending"), trainer


def case_approve_registrations():
    registration, trainer = _pending()
    _s().approve_registrations(
        session=registration.session, registration_ids=[registration.pk], acting_user=trainer
    )


def case_approve_registration():
    registration, trainer = _pending()
    _s().approve_registration(registration=registration, acting_user=trainer)


def case_reject_registrations():
    registration, trainer = _pending()
    _s().reject_registrations(
        session=registration.session,
        registration_ids=[registration.pk],
        acting_user=trainer,
        reason="Full.",
    )


def case_reject_registration():
    registration, trainer = _pending()
    _s().reject_registration(registration=registration, acting_user=trainer, reason="Full.")


def case_record_attendance():
    s, trainer = _with_trainer()
    registration = factories.registration(session_obj=s)
    _s().record_attendance(
        registration=registration,
        day=s.days.first(),
        status="present",
        method="roll_call",
        acting_user=trainer,
    )


def case_add_walk_in():
    s, trainer = _with_trainer()
    _s().add_walk_in(
        session=s,
        email="walk@in.example",
        agency=factories.agency(),
        day=s.days.first(),
        acting_user=trainer,
    )


def case_mark_all_present():
    s, trainer = _with_trainer()
    factories.registration(session_obj=s)
    assert _s().mark_all_present(session=s, day=s.days.first(), acting_user=trainer) == 1


def case_set_headcount():
    s, trainer = _with_trainer()
    _s().set_headcount(session=s, count=12, agency=factories.agency(), acting_user=trainer)


def case_submit_training_request():
    officer = factories.officer()
    _s().submit_training_request(
        requester=officer,
        acting_user=officer,
        course=factories.course(),
        delivery="in_person",
        expected_participants=20,
    )


def case_accept_training_request():
    request = factories.training_request(course_obj=factories.course())
    _s().accept_training_request(training_request=request, acting_user=factories.lead())


def case_decline_training_request():
    request = factories.training_request(topic="DeFi exploits")
    _s().decline_training_request(
        training_request=request, reason="Not this year.", acting_user=factories.lead()
    )


def case_officers_for_emails():
    from attendees import services

    services.officers_for_emails(
        rows=[{"email": "bulk@x.example", "first_name": "A", "last_name": "B"}],
        acting_user=factories.lead(),
    )


def case_officer_for_email():
    from attendees import services

    services.officer_for_email(email="new@x.example", acting_user=factories.lead())


def case_verify_from_email():
    from attendees import services

    agency = factories.agency(domain="police.example")
    officer = factories.officer(agency_obj=agency, verified=False, email="a@police.example")
    assert services.verify_from_email(profile=officer.officer_profile, email=officer.email)


def case_correct_own_name():
    from attendees import services

    officer = factories.officer(first_name="Tai Man", last_name="Chen")
    services.correct_own_name(
        user=officer,
        first_name="Tai Man",
        last_name="Chan",
        family_name_first=True,
        acting_user=officer,
    )


def case_verify_officer():
    from attendees import services

    officer = factories.officer(verified=False)
    services.verify_officer(profile=officer.officer_profile, acting_user=factories.lead())


def case_verify_officers():
    from attendees import services

    officer = factories.officer(verified=False)
    services.verify_officers(profiles=[officer.officer_profile], acting_user=factories.lead())


def case_reject_officer():
    from attendees import services

    officer = factories.officer(verified=False)
    services.reject_officer(
        profile=officer.officer_profile, acting_user=factories.lead(), reason="Not an officer."
    )


def case_reject_officers():
    from attendees import services

    officer = factories.officer(verified=False)
    services.reject_officers(
        profiles=[officer.officer_profile], acting_user=factories.lead(), reason="Not an officer."
    )


def case_merge_agencies():
    from attendees import services

    services.merge_agencies(
        source=factories.agency(), target=factories.agency(), acting_user=factories.lead()
    )


def _issued():
    from certificates import services

    factories.certificate_template()
    lead = factories.lead()
    session = factories.delivered_session(day_count=1)
    officer = factories.officer()
    factories.attendance(session_obj=session, officer_obj=officer, attended=1)
    return services, session, officer, lead


def case_issue_certificate():
    services, session, officer, lead = _issued()
    services.issue_certificate(session=session, officer=officer, acting_user=lead)


def case_bulk_issue_for_session():
    services, session, _officer, lead = _issued()
    assert services.bulk_issue_for_session(session=session, acting_user=lead)


def case_reissue():
    services, session, officer, lead = _issued()
    certificate = services.issue_certificate(session=session, officer=officer, acting_user=lead)
    return lambda: services.reissue(
        certificate=certificate, reason="Name corrected.", acting_user=lead
    )


def case_revoke():
    services, session, officer, lead = _issued()
    certificate = services.issue_certificate(session=session, officer=officer, acting_user=lead)
    return lambda: services.revoke(
        certificate=certificate, reason="Issued in error.", acting_user=lead
    )


def case_rotate_key():
    from credentials import services as credential_services

    credential_services.rotate_key(acting_user=factories.lead())


def case_set_override():
    services, session, officer, lead = _issued()
    services.set_override(
        session=session, officer=officer, eligible=True, reason="Sat the exam.", acting_user=lead
    )


def case_clear_override():
    services, session, officer, lead = _issued()
    services.set_override(
        session=session, officer=officer, eligible=True, reason="Sat the exam.", acting_user=lead
    )
    return lambda: services.clear_override(session=session, officer=officer, acting_user=lead)


def case_record_download():
    from courses import services

    services.record_download(
        material=factories.material(access="verified"),
        acting_user=factories.officer(),
        stamped=False,
    )


def case_export_personal_data():
    from privacy import services

    services.export_personal_data(user=factories.officer())


def case_request_erasure():
    from privacy import services

    officer = factories.officer()
    services.request_erasure(user=officer, acting_user=officer)


def case_anonymise_officer():
    from privacy import services

    services.anonymise_officer(user=factories.officer(), acting_user=factories.lead())


def case_import_history():
    from reports import services

    factories.course(code="VAI-101")
    data = (
        b"reference,course_code,course_title,start_date,end_date,start_time,end_time,timezone,"
        b"delivery,status,city,country,host_agency,participants,participant_agencies,"
        b"participant_countries\n"
        b"2019-HK-001,VAI-101,,2019-03-04,,09:00,17:00,Asia/Hong_Kong,in_person,delivered,"
        b"Hong Kong,HK,,30,,\n"
    )
    services.import_history(data=data, filename="history.csv", acting_user=factories.lead())


def _coordinated():
    from coordinators import services

    agency = factories.agency()
    person = factories.officer(agency_obj=agency)
    row = services.grant_coordinator(user=person, agency=agency, acting_user=factories.lead())
    return agency, person, row


def _nominated():
    from coordinators import services

    agency, person, _row = _coordinated()
    s = factories.session(eligibility="nomination", capacity=1)
    officer = factories.officer(agency_obj=agency)
    return services.nominate(session=s, officer=officer, acting_user=person)


def case_grant_coordinator():
    _coordinated()


def case_remove_coordinator():
    from coordinators import services

    _agency, _person, row = _coordinated()
    return lambda: services.remove_coordinator(coordinator=row, acting_user=factories.lead())


def case_drop_roles_outside_agency():
    from coordinators import services

    _agency, person, _row = _coordinated()
    profile = person.officer_profile
    type(profile).objects.filter(pk=profile.pk).update(agency=factories.agency())
    profile.refresh_from_db()
    return lambda: services.drop_roles_outside_agency(profile=profile)


def case_nominate():
    _nominated()


def case_accept_nomination():
    from coordinators import services

    nomination = _nominated()
    return lambda: services.accept_nomination(nomination=nomination, acting_user=nomination.officer)


def case_decline_nomination():
    from coordinators import services

    nomination = _nominated()
    return lambda: services.decline_nomination(
        nomination=nomination, acting_user=nomination.officer
    )


def case_lapse_nominations():
    from coordinators import services

    _nominated()
    return lambda: services.lapse_nominations(days=0)


def case_send_message():
    from communications import selectors, services

    s, trainer = _with_trainer()
    factories.registration(session_obj=s)
    services.send_message(
        session=s,
        acting_user=trainer,
        subject="Venue",
        body="Room 4.",
        choice=selectors.AudienceChoice(kind="confirmed"),
    )


def case_save_session_notices():
    from communications import services

    s, trainer = _with_trainer()
    services.save_session_notices(session=s, acting_user=trainer, joining_off=True)


def case_queue_due_notices():
    from communications import services

    s = factories.session(days=[(datetime.date(2030, 3, 4), datetime.time(9), datetime.time(17))])
    factories.registration(session_obj=s)
    assert services.queue_due_notices(now=datetime.datetime(2030, 3, 3, 12, tzinfo=datetime.UTC))


CASES = {
    name.removeprefix("case_"): fn
    for name, fn in dict(globals()).items()
    if name.startswith("case_") and callable(fn)
}


def test_every_service_function_is_audited_or_says_why_not():
    unclassified = public_functions() - set(CASES) - set(NOT_AUDITED)
    assert unclassified == set(), (
        f"{sorted(unclassified)}: audit these writes (audit.services.record) and add a case "
        "here, or say in NOT_AUDITED why they write nothing with consequences"
    )


def test_the_lists_name_only_existing_service_functions():
    stale = (set(CASES) | set(NOT_AUDITED)) - public_functions()
    assert stale == set()


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_write_service_leaves_an_audit_entry(name):
    # A case either calls the service itself, or sets up and returns the call (when the
    # set-up already wrote entries of its own, e.g. issuing before revoking).
    before = AuditEntry.objects.count()
    act = CASES[name]()
    if act is not None:
        before = AuditEntry.objects.count()
        act()
    assert AuditEntry.objects.count() > before, f"{name} wrote without an audit entry"


def test_a_refused_write_leaves_no_entry():
    from sessions.registration.rules import RegistrationRefused

    registration = factories.registration(session_obj=factories.session(), status="cancelled")
    before = AuditEntry.objects.count()
    with pytest.raises(RegistrationRefused):
        _s().cancel_registration(registration=registration, acting_user=registration.officer)
    assert AuditEntry.objects.count() == before
