"""Scheduled notices: due at the set hour of the recipient's own day (across a clock change),
each once per person however often the scheduler runs, switched per programme and per session."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from audit.models import AuditEntry
from communications import services
from communications.models import NoticeSent, SessionNotices
from tests import factories

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# The United Kingdom moves its clocks forward at 01:00 UTC on Sunday 31 March 2030.
FIRST_DAY = datetime.date(2030, 4, 2)


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.fixture
def london(settings):
    settings.MUSTER_NOTICE_HOUR = 9
    settings.MUSTER_NOTICES = {"joining": 3, "reminder": None, "thank_you": 1}
    session = factories.session(
        time_zone="Europe/London",
        days=[(FIRST_DAY, datetime.time(9), datetime.time(17))],
        venue="Police HQ, Room 4",
        city="London",
        country="GB",
    )
    officer = factories.officer(time_zone="Europe/London")
    registration = factories.registration(session_obj=session, officer_obj=officer)
    return session, officer, registration


def kinds_queued(now):
    return sorted(
        (row.kind, row.registration.officer.email) for row in services.queue_due_notices(now=now)
    )


def test_joining_instructions_at_nine_local_across_the_clock_change(
    london, django_capture_on_commit_callbacks
):
    session, officer, _registration = london
    # Due 30 March 09:00 GMT (= 09:00 UTC): three calendar days before 2 April 09:00 BST.
    # Three 24-hour periods before the start would be 08:00 UTC: one hour early.
    assert session.days.get().starts_at == at(2030, 4, 2, 8)
    assert kinds_queued(at(2030, 3, 30, 8, 30)) == []
    with django_capture_on_commit_callbacks(execute=True):
        assert kinds_queued(at(2030, 3, 30, 9)) == [("joining", officer.email)]
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Police HQ, Room 4" in body and "Europe/London" in body
    # The first day read in the recipient's zone (BST), not UTC.
    assert "9 a.m." in body and "8 a.m." not in body
    # Again, and later the same day: nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert kinds_queued(at(2030, 3, 30, 9, 15)) == []
        assert kinds_queued(at(2030, 4, 1, 12)) == []
    assert len(mail.outbox) == 1
    assert AuditEntry.objects.filter(action=AuditEntry.Action.NOTICES_QUEUED).count() == 1


def test_the_hour_is_the_recipients_own(london):
    session, _officer, _registration = london
    far = factories.officer(time_zone="Asia/Hong_Kong")
    factories.registration(session_obj=session, officer_obj=far)
    # 09:00 in Hong Kong on 30 March is 01:00 UTC.
    assert kinds_queued(at(2030, 3, 30, 0, 59)) == []
    assert kinds_queued(at(2030, 3, 30, 1)) == [("joining", far.email)]


def test_no_joining_instructions_once_the_session_has_begun(london):
    assert kinds_queued(at(2030, 4, 2, 8)) == []


def test_remote_sessions_carry_the_join_link_only_to_the_confirmed(
    settings, django_capture_on_commit_callbacks
):
    settings.MUSTER_NOTICES = {"joining": 1, "reminder": None, "thank_you": None}
    session = factories.session(
        delivery="remote",
        join_url="https://meet.example/abc",
        days=[(FIRST_DAY, datetime.time(9), datetime.time(17))],
    )
    confirmed = factories.registration(session_obj=session)
    factories.registration(session_obj=session, status="waitlisted")
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_due_notices(now=at(2030, 4, 1, 12))
    assert [m.to for m in mail.outbox] == [[confirmed.officer.email]]
    assert "https://meet.example/abc" in mail.outbox[0].body


def test_the_send_task_run_twice_mails_once(london, django_capture_on_commit_callbacks):
    from communications.tasks import send_notice

    with django_capture_on_commit_callbacks(execute=True):
        (row,) = services.queue_due_notices(now=at(2030, 3, 30, 9))
    assert send_notice.call(notice_id=row.pk) is False
    assert len(mail.outbox) == 1


def test_thank_you_the_day_after_to_those_who_attended_with_the_feedback_link(
    london, django_capture_on_commit_callbacks
):
    session, officer, registration = london
    from sessions.attendance.services import refresh_participated
    from sessions.models import Attendance

    absent = factories.registration(session_obj=session)
    Attendance.objects.create(
        registration=registration, day=session.days.get(), status="present", method="roll_call"
    )
    refresh_participated([registration.pk, absent.pk])
    NoticeSent.objects.create(registration=registration, kind="joining")
    NoticeSent.objects.create(registration=absent, kind="joining")
    assert kinds_queued(at(2030, 4, 3, 7, 59)) == []
    with django_capture_on_commit_callbacks(execute=True):
        assert kinds_queued(at(2030, 4, 3, 8)) == [("thank_you", officer.email)]
    assert (
        f"/sessions/{session.reference}/feedback/" in mail.outbox[0].body
        or "feedback" in mail.outbox[0].body
    )
    # Not weeks later for the first time (a scheduler that was down).
    NoticeSent.objects.filter(kind="thank_you").delete()
    assert kinds_queued(at(2030, 4, 20, 8)) == []


def test_a_session_switches_a_kind_off_or_moves_it(london):
    session, officer, _registration = london
    lead = factories.lead()
    services.save_session_notices(session=session, acting_user=lead, joining_days=1)
    assert kinds_queued(at(2030, 3, 30, 9)) == []
    assert kinds_queued(at(2030, 4, 1, 8)) == [("joining", officer.email)]
    other = factories.session(days=[(FIRST_DAY, datetime.time(9), datetime.time(17))])
    factories.registration(session_obj=other)
    services.save_session_notices(session=other, acting_user=lead, joining_off=True)
    assert kinds_queued(at(2030, 4, 1, 8, 30)) == []
    assert SessionNotices.objects.count() == 2


def test_only_the_sessions_staff_change_its_notices(london):
    session, *_ = london
    with pytest.raises(services.MessageRefused):
        services.save_session_notices(
            session=session, acting_user=factories.trainer(), joining_off=True
        )
    assert not SessionNotices.objects.exists()


def test_the_reminder_folds_in_the_older_command(settings, london):
    session, _officer, registration = london
    settings.MUSTER_NOTICES = {"joining": None, "reminder": 1, "thank_you": None}
    registration.reminded_at = at(2030, 3, 31)
    registration.save()
    assert kinds_queued(at(2030, 4, 1, 9)) == []
    other = factories.registration(session_obj=session)
    assert kinds_queued(at(2030, 4, 1, 9)) == [("reminder", other.officer.email)]
    other.refresh_from_db()
    assert other.reminded_at is not None  # so send_session_reminders will not send it again


def test_the_command_runs(london, capsys):
    call_command("send_notices")
    assert "notice(s) queued" in capsys.readouterr().out
