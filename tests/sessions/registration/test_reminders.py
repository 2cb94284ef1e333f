"""send_session_reminders: who gets a reminder, and only once."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from sessions.models import Registration
from tests import factories

pytestmark = pytest.mark.django_db


def starting_in(hours, **fields):
    start = timezone.localtime() + datetime.timedelta(hours=hours)
    end = start + datetime.timedelta(hours=1)
    return factories.session(
        time_zone=timezone.get_current_timezone_name(),
        days=[(start.date(), start.time().replace(microsecond=0), end.time())]
        if end.date() == start.date()
        else [(start.date(), datetime.time(0), datetime.time(23, 59))],
        **fields,
    )


def test_reminds_confirmed_registrants_of_sessions_starting_soon_once(
    django_capture_on_commit_callbacks,
):
    soon = starting_in(30)
    far = starting_in(24 * 10)
    confirmed = factories.registration(session_obj=soon)
    factories.registration(session_obj=soon, status=Registration.Status.WAITLISTED)
    factories.registration(session_obj=far)
    factories.registration(session_obj=starting_in(20, status="draft"))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_session_reminders", hours=48)
    assert [m.to for m in mail.outbox] == [[confirmed.officer.email]]
    assert mail.outbox[0].attachments  # the .ics rides along
    confirmed.refresh_from_db()
    assert confirmed.reminded_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_session_reminders", hours=48)
    assert len(mail.outbox) == 1
