"""When each scheduled notice is due, for whom: reads only (the write that queues them is
communications.services.queue_due_notices).

A notice is due at settings.MUSTER_NOTICE_HOUR o'clock on a calendar day of the *recipient's*
time zone (their profile's, else the session's): joining instructions and the reminder N days
before the first day, the thank-you N days after the last. Counting calendar days in the
recipient's zone, not 24-hour periods, keeps the hour right across a daylight-saving change.
"""

import datetime
import zoneinfo

from django.conf import settings

from sessions.attendance.selectors import attended_q
from sessions.models import Registration, TrainingSession

from .models import NoticeKind, SessionNotices

# A thank-you not sent within this long after it fell due is not sent (a scheduler that was
# down for weeks should not thank people for a course long past).
THANK_YOU_WINDOW = datetime.timedelta(days=7)


def effective_days(session, override=None):
    """{kind: days or None (off)} for a session: its own choice, else the programme's."""
    programme = settings.MUSTER_NOTICES
    if override is None:
        override = SessionNotices.objects.filter(session=session).first()
    result = {kind: programme.get(kind) for kind in NoticeKind.values}
    if override is not None:
        if override.joining_days is not None:
            result[NoticeKind.JOINING] = override.joining_days
        if override.reminder_days is not None:
            result[NoticeKind.REMINDER] = override.reminder_days
        for kind, off in (
            (NoticeKind.JOINING, override.joining_off),
            (NoticeKind.REMINDER, override.reminder_off),
            (NoticeKind.THANK_YOU, override.thank_you_off),
        ):
            if off:
                result[kind] = None
    return result


def recipient_zone(officer, session):
    try:
        return zoneinfo.ZoneInfo(officer.time_zone) if officer.time_zone else session.zone
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return session.zone


def due_window(kind, days, session, zone):
    """(from, until) in which the notice of `kind` goes out to someone in `zone`, or None."""
    session_days = sorted(session.days.all(), key=lambda day: day.starts_at)
    if not session_days:
        return None
    hour = datetime.time(settings.MUSTER_NOTICE_HOUR)
    if kind == NoticeKind.THANK_YOU:
        last_date = session_days[-1].ends_at.astimezone(session.zone).date()
        due = datetime.datetime.combine(
            last_date + datetime.timedelta(days=days), hour, tzinfo=zone
        )
        return due, due + THANK_YOU_WINDOW
    first = session_days[0]
    first_date = first.starts_at.astimezone(session.zone).date()
    due = datetime.datetime.combine(first_date - datetime.timedelta(days=days), hour, tzinfo=zone)
    return due, first.starts_at


def candidate_sessions(now):
    """Sessions that may have a notice due around `now`: scheduled ones starting within the
    longest lead time, and ended ones within the thank-you window."""
    today = now.date()
    upcoming = TrainingSession.objects.filter(
        status=TrainingSession.Status.SCHEDULED,
        start_date__gte=today - datetime.timedelta(days=1),
        start_date__lte=today + datetime.timedelta(days=32),
    )
    ended = TrainingSession.objects.exclude(status=TrainingSession.Status.CANCELLED).filter(
        end_date__gte=today - datetime.timedelta(days=40),
        end_date__lte=today + datetime.timedelta(days=1),
    )
    return (
        (upcoming | ended)
        .distinct()
        .select_related("course", "notice_settings")
        .prefetch_related("days")
        .order_by("pk")
    )


def recipients(session, kind):
    """Registrations a notice of `kind` is for: the confirmed before the session, those who
    attended (the one definition, attendance/selectors.py) after it."""
    registrations = Registration.objects.filter(session=session, officer__is_active=True)
    if kind == NoticeKind.THANK_YOU:
        return registrations.filter(attended_q())
    registrations = registrations.filter(status=Registration.Status.CONFIRMED)
    if kind == NoticeKind.REMINDER:
        # Reminded already by the older send_session_reminders command: not twice.
        registrations = registrations.filter(reminded_at=None)
    return registrations
