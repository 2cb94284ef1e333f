"""iCalendar (RFC 5545) files for sessions: one VEVENT per session day.

Every event has a UID that never changes (session id and the day's id), DTSTAMP, SEQUENCE
(the session's, which rises with every change), STATUS, local times with a TZID and a VTIMEZONE
for each zone used, LOCATION, URL, DESCRIPTION and, except in the public feed, a reminder a day
before. icalendar writes CRLF line endings and folds long lines.
"""

import datetime

import pycountry
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from .models import TrainingSession

PRODID = "-//Muster//Training sessions//EN"
UID_DOMAIN = "muster"

EVENT_STATUS = {
    TrainingSession.Status.DRAFT: "TENTATIVE",
    TrainingSession.Status.SCHEDULED: "CONFIRMED",
    TrainingSession.Status.DELIVERED: "CONFIRMED",
    TrainingSession.Status.CANCELLED: "CANCELLED",
}


def day_uid(session, day):
    # The day's id, not its date: a day moved to another date is the same event, updated (a
    # new UID would leave the old date in calendars that imported the invitation).
    return f"{session.pk}-day{day.pk}@{UID_DOMAIN}"


def location_of(session):
    if session.delivery == TrainingSession.Delivery.REMOTE:
        return _("Online")
    country = pycountry.countries.get(alpha_2=session.country) if session.country else None
    parts = [session.venue, session.city, country.name if country else ""]
    text = ", ".join(part for part in parts if part)
    if session.delivery == TrainingSession.Delivery.HYBRID:
        text = _("%(place)s and online") % {"place": text} if text else _("Online")
    return text


def build_calendar(
    sessions,
    *,
    base_url,
    name,
    join_link_for=lambda session: False,
    reminder=True,
    cancel=False,
):
    """A VCALENDAR for `sessions` (days and course prefetched).

    `join_link_for(session)` says whether this calendar's reader may see the session's join
    link: only confirmed registrants and the session's trainers may. `reminder=False` leaves
    out the day-before alarm (the public feed: subscribers did not ask for one per session).
    `cancel=True` makes a cancellation (METHOD:CANCEL, the same UIDs, a higher SEQUENCE), which
    removes the events from the calendar of an officer who gave up their place.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "CANCEL" if cancel else "PUBLISH")
    cal.add("x-wr-calname", name)
    first = last = None
    for session in sessions:
        days = sorted(session.days.all(), key=lambda day: day.date)
        zone = session.zone
        url = base_url.rstrip("/") + session.get_absolute_url()
        show_join = bool(session.join_url) and join_link_for(session)
        stamp = (session.updated_at or timezone.now()).astimezone(datetime.UTC)
        for number, day in enumerate(days, start=1):
            event = Event()
            event.add("uid", day_uid(session, day))
            event.add("dtstamp", stamp)
            event.add("last-modified", stamp)
            # A cancellation must outrank the invitation the officer imported.
            event.add("sequence", session.sequence + 1 if cancel else session.sequence)
            event.add("status", "CANCELLED" if cancel else EVENT_STATUS[session.status])
            summary = f"{session.course.title} ({session.reference})"
            if len(days) > 1:
                summary += " " + _("day %(number)d of %(count)d") % {
                    "number": number,
                    "count": len(days),
                }
            if session.status == TrainingSession.Status.CANCELLED:
                summary = _("Cancelled: %(summary)s") % {"summary": summary}
            event.add("summary", summary)
            event.add("dtstart", day.starts_at.astimezone(zone))
            event.add("dtend", day.ends_at.astimezone(zone))
            event.add("location", location_of(session))
            event.add("url", url)
            lines = [session.course.summary] if session.course.summary else []
            if session.status == TrainingSession.Status.CANCELLED:
                lines.insert(
                    0, _("Cancelled: %(reason)s") % {"reason": session.cancellation_reason}
                )
            if show_join:
                lines.append(_("Join online: %(url)s") % {"url": session.join_url})
            lines.append(url)
            event.add("description", "\n\n".join(lines))
            if reminder and not cancel and session.status != TrainingSession.Status.CANCELLED:
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", summary)
                alarm.add("trigger", datetime.timedelta(days=-1))
                event.add_component(alarm)
            cal.add_component(event)
            first = min(first, day.date) if first else day.date
            last = max(last, day.date) if last else day.date
    if first is not None:
        # A VTIMEZONE per TZID, with the rules that cover the events (a year either side keeps
        # the component small yet valid for calendar programs that expand a little around it).
        cal.add_missing_timezones(
            first_date=first - datetime.timedelta(days=366),
            last_date=last + datetime.timedelta(days=366),
        )
    return cal
