import datetime
import threading

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from accounts import roles
from certificates import services, signals
from certificates.models import Certificate, SerialCounter
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead():
    return factories.user(role=roles.PROGRAMME_LEAD)


@pytest.fixture
def setup(course_rules):
    factories.certificate_template()
    trainer = factories.user(role=roles.TRAINER)
    session = factories.delivered_session(day_count=5, trainer=trainer, city="Bangkok")
    return session, trainer


def test_issue_copies_the_facts_and_numbers_the_serial(setup):
    session, trainer = setup
    officer = factories.officer(first_name="Mei", last_name="Cheung")
    factories.attendance(session_obj=session, officer_obj=officer, attended=4)
    certificate = services.issue_certificate(session=session, officer=officer, acting_user=trainer)
    assert certificate.serial == "LETP-2023-000001"
    assert certificate.officer_name == "Mei Cheung"
    assert certificate.agency_name == officer.officer_profile.agency.name
    assert certificate.course_title == session.course.title
    assert (certificate.start_date, certificate.end_date) == (session.start_date, session.end_date)
    assert certificate.hours == 35
    assert certificate.city == "Bangkok"
    assert certificate.status == Certificate.Status.VALID
    assert certificate.issued_by == trainer
    # 32 random bytes: 43 URL-safe characters, nothing of the serial in it.
    assert len(certificate.verification_code) >= 43
    assert certificate.verification_code != certificate.serial


def test_issue_emails_the_officer_after_commit(setup, django_capture_on_commit_callbacks):
    session, trainer = setup
    officer = factories.officer()
    factories.attendance(session_obj=session, officer_obj=officer, attended=5)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.issue_certificate(
            session=session, officer=officer, acting_user=trainer
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [officer.email]
    assert certificate.serial in message.body
    assert f"/verify/{certificate.verification_code}/" in message.body


def test_the_certificate_mail_is_sent_once_per_certificate(setup):
    from certificates.tasks import email_certificate_issued
    from jobs.models import SentEmail

    session, trainer = setup
    officer = factories.officer()
    factories.attendance(session_obj=session, officer_obj=officer, attended=5)
    certificate = services.issue_certificate(session=session, officer=officer, acting_user=trainer)
    mail.outbox.clear()  # The immediate backend sent it on commit; the test's atomic holds it.
    SentEmail.objects.all().delete()
    assert email_certificate_issued.call(certificate.pk) is True
    # Run again, or queued twice: the certificate has had its mail.
    assert email_certificate_issued.call(certificate.pk) is False
    assert len(mail.outbox) == 1
    assert SentEmail.objects.filter(key=f"certificate-issued:{certificate.pk}").exists()


def test_not_eligible_is_refused_with_the_reason_and_numbers_nothing(setup):
    session, trainer = setup
    officer = factories.officer()
    factories.attendance(session_obj=session, officer_obj=officer, attended=3)
    with pytest.raises(services.NotIssuable, match="3 of 5"):
        services.issue_certificate(session=session, officer=officer, acting_user=trainer)
    assert not Certificate.objects.exists()
    assert not SerialCounter.objects.filter(last_number__gt=0).exists()


def test_only_delivered_sessions(course_rules, lead):
    factories.certificate_template()
    session = factories.session(status="scheduled")
    officer = factories.officer()
    factories.attendance(session_obj=session, officer_obj=officer, attended=1)
    with pytest.raises(services.NotIssuable, match="delivered"):
        services.issue_certificate(session=session, officer=officer, acting_user=lead)
    with pytest.raises(services.NotIssuable):
        services.bulk_issue_for_session(session=session, acting_user=lead)


def test_course_without_certificate(course_rules, lead):
    course_rules(key="none")
    session = factories.delivered_session(day_count=1)
    officer = factories.officer()
    factories.attendance(session_obj=session, officer_obj=officer, attended=1)
    with pytest.raises(services.NotIssuable, match="no certificate"):
        services.bulk_issue_for_session(session=session, acting_user=lead)
    assert not Certificate.objects.exists()


def test_one_current_certificate_per_officer(setup):
    session, trainer = setup
    officer = factories.officer()
    factories.attendance(session_obj=session, officer_obj=officer, attended=5)
    services.issue_certificate(session=session, officer=officer, acting_user=trainer)
    with pytest.raises(services.NotIssuable, match="already holds"):
        services.issue_certificate(session=session, officer=officer, acting_user=trainer)


def test_bulk_preview_then_issue(setup, django_capture_on_commit_callbacks):
    session, trainer = setup
    eligible = [factories.officer() for _ in range(3)]
    short = factories.officer()
    for officer in eligible:
        factories.attendance(session_obj=session, officer_obj=officer, attended=4)
    factories.attendance(session_obj=session, officer_obj=short, attended=1)

    to_issue, not_eligible, issued = services.preview_session(session)
    assert {row.officer for row in to_issue} == set(eligible)
    assert [row.officer for row in not_eligible] == [short]
    assert "1 of 5" in not_eligible[0].explanation
    assert issued == []
    assert not Certificate.objects.exists()  # the preview writes nothing

    with django_capture_on_commit_callbacks(execute=True):
        certificates = services.bulk_issue_for_session(session=session, acting_user=trainer)
    assert len(certificates) == 3
    assert sorted(c.number for c in certificates) == [1, 2, 3]
    assert len(mail.outbox) == 3
    # Running it again issues nothing new.
    assert services.bulk_issue_for_session(session=session, acting_user=trainer) == []


def test_reissue_supersedes_with_a_link(setup):
    session, trainer = setup
    officer = factories.officer(first_name="Jon", last_name="Smiht")
    factories.attendance(session_obj=session, officer_obj=officer, attended=5)
    old = services.issue_certificate(session=session, officer=officer, acting_user=trainer)
    officer.last_name = "Smith"
    officer.save()
    new = services.reissue(certificate=old, reason="Name misspelt.", acting_user=trainer)
    old.refresh_from_db()
    assert old.status == Certificate.Status.SUPERSEDED
    assert old.superseded_by == new
    assert new.version == 2
    assert new.officer_name == "Jon Smith"
    assert new.serial != old.serial and new.verification_code != old.verification_code
    assert new.reissue_reason == "Name misspelt."
    with pytest.raises(services.NotIssuable):
        services.reissue(certificate=old, reason="again", acting_user=trainer)


def test_revoke_needs_a_reason_and_is_immediate(setup):
    session, trainer = setup
    officer = factories.officer()
    factories.attendance(session_obj=session, officer_obj=officer, attended=5)
    certificate = services.issue_certificate(session=session, officer=officer, acting_user=trainer)
    with pytest.raises(ValidationError):
        services.revoke(certificate=certificate, reason="", acting_user=trainer)
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
    services.revoke(certificate=certificate, reason="Attendance falsified.", acting_user=trainer)
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revocation_reason == "Attendance falsified."
    # A revoked certificate frees the slot: a corrected one can be issued later.
    services.issue_certificate(session=session, officer=officer, acting_user=trainer)


def test_expiry_from_the_templates_validity(course_rules, lead):
    factories.certificate_template(validity_months=24)
    session = factories.delivered_session(day_count=1, start=datetime.date(2023, 8, 31))
    officer = factories.officer()
    factories.attendance(session_obj=session, officer_obj=officer, attended=1)
    certificate = services.issue_certificate(session=session, officer=officer, acting_user=lead)
    assert certificate.expires_on == datetime.date(2025, 8, 31)
    assert certificate.status_on(datetime.date(2025, 8, 31)) == Certificate.Status.VALID
    assert certificate.status_on(datetime.date(2025, 9, 1)) == Certificate.Status.EXPIRED
    assert certificate.status == Certificate.Status.EXPIRED  # today is long after 2025
    assert Certificate.objects.with_status("expired").get() == certificate


def test_month_end_validity():
    assert services._add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert services._add_months(datetime.date(2023, 11, 30), 3) == datetime.date(2024, 2, 29)


def test_serials_per_year_of_the_first_day(course_rules, lead):
    factories.certificate_template()
    s2022 = factories.delivered_session(day_count=1, start=datetime.date(2022, 12, 31))
    s2023 = factories.delivered_session(day_count=1, start=datetime.date(2023, 1, 2))
    serials = []
    for session in (s2022, s2023, s2022):
        officer = factories.officer()
        factories.attendance(session_obj=session, officer_obj=officer, attended=1)
        serials.append(
            services.issue_certificate(session=session, officer=officer, acting_user=lead).serial
        )
    assert serials == ["LETP-2022-000001", "LETP-2023-000001", "LETP-2022-000002"]


def test_a_failed_issue_gives_its_number_back(setup, monkeypatch):
    session, trainer = setup
    first, second = factories.officer(), factories.officer()
    for officer in (first, second):
        factories.attendance(session_obj=session, officer_obj=officer, attended=5)

    def boom(*args, **kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services, "record", boom)
    with pytest.raises(RuntimeError):
        services.issue_certificate(session=session, officer=first, acting_user=trainer)
    monkeypatch.undo()
    certificate = services.issue_certificate(session=session, officer=second, acting_user=trainer)
    assert certificate.serial.endswith("-000001")


def test_other_trainer_refused_lead_allowed(setup, lead):
    session, _trainer = setup
    other = factories.user(role=roles.TRAINER)
    officer = factories.officer()
    factories.attendance(session_obj=session, officer_obj=officer, attended=5)
    with pytest.raises(PermissionDenied):
        services.issue_certificate(session=session, officer=officer, acting_user=other)
    with pytest.raises(PermissionDenied):
        services.bulk_issue_for_session(session=session, acting_user=other)
    with pytest.raises(PermissionDenied):
        services.issue_certificate(session=session, officer=officer, acting_user=officer)
    assert services.issue_certificate(session=session, officer=officer, acting_user=lead)


def test_auto_issue_on_delivery_follows_the_setting(setup, settings):
    session, trainer = setup
    officer = factories.officer()
    factories.attendance(session_obj=session, officer_obj=officer, attended=5)
    settings.MUSTER_CERTIFICATES_AUTO_ISSUE = False
    signals.session_delivered.send(sender=type(session), session=session, acting_user=trainer)
    assert not Certificate.objects.exists()
    settings.MUSTER_CERTIFICATES_AUTO_ISSUE = True
    signals.session_delivered.send(sender=type(session), session=session, acting_user=trainer)
    assert Certificate.objects.get().officer == officer


def test_marking_a_session_delivered_issues_when_automatic(
    setup, settings, django_capture_on_commit_callbacks
):
    from sessions.schedule.services import change_status

    session, trainer = setup
    officer = factories.officer()
    factories.attendance(session_obj=session, officer_obj=officer, attended=5)
    session.status = "scheduled"
    session.save(update_fields=["status"])
    settings.MUSTER_CERTIFICATES_AUTO_ISSUE = True
    with django_capture_on_commit_callbacks(execute=True):
        change_status(session=session, status="delivered", acting_user=trainer)
    assert Certificate.objects.get().officer == officer


def test_issue_leaves_an_audit_entry(setup):
    from audit.models import AuditEntry

    session, trainer = setup
    officer = factories.officer()
    factories.attendance(session_obj=session, officer_obj=officer, attended=5)
    certificate = services.issue_certificate(session=session, officer=officer, acting_user=trainer)
    services.revoke(certificate=certificate, reason="Mistake.", acting_user=trainer)
    actions = list(
        AuditEntry.objects.filter(target_id=str(certificate.pk))
        .order_by("created_at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == ["certificate.issued", "certificate.revoked"]


@pytest.mark.postgres
# Skipped before the database is set up: a transactional test flushes the tables afterwards,
# which other tests' serialized rollback does not expect on SQLite.
@pytest.mark.skipif(
    "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
    reason="row locks need PostgreSQL; SQLite serialises writers anyway",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_serials_unique_and_gap_free_under_concurrent_issuing(course_rules):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers anyway")
    factories.certificate_template()
    lead = factories.user(role=roles.PROGRAMME_LEAD)
    sessions = [factories.delivered_session(day_count=1) for _ in range(4)]
    officers = []
    for session in sessions:
        for _ in range(5):
            officer = factories.officer()
            factories.attendance(session_obj=session, officer_obj=officer, attended=1)
            officers.append((session, officer))

    barrier = threading.Barrier(len(officers))
    errors = []

    def issue(session, officer):
        try:
            barrier.wait()
            services.issue_certificate(session=session, officer=officer, acting_user=lead)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=issue, args=pair) for pair in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Certificate.objects.filter(year=2023).values_list("number", flat=True))
    assert numbers == list(range(1, len(officers) + 1))
    assert SerialCounter.objects.get(year=2023).last_number == len(officers)
