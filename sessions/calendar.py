"""iCalendar (RFC 5545) files for sessions: one VEVENT per session day.

Every event has a UID that never changes (session id and the day's id), DTSTAMP, SEQUENCE
(the session's, which rises with every change), STATUS, local times with a TZID and a VTIMEZONE
for each zone used, LOCATION, URL, DESCRIPTION and, except in the public feed, a reminder a day
before. icalendar writes CRLF line endings and folds long lines.
"""

import datetime
from zoneinfo import ZoneInfo

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


def _escape(text):
    """An RFC 5545 TEXT value."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line):
    """The content line, folded at 75 octets (never inside a UTF-8 character), with CRLF."""
    data = line.encode()
    if len(data) <= 75:
        return data + b"\r\n"
    parts = []
    start, limit = 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1
        parts.append(data[start:end])
        start, limit = end, 74  # continuation lines start with a space
    return b"\r\n ".join(parts) + b"\r\n"


def _local(moment):
    """A DATE-TIME value without its zone (isoformat is cheaper than strftime)."""
    return moment.isoformat()[:19].replace("-", "").replace(":", "")


def _utc(moment):
    return _local(moment.astimezone(datetime.UTC)) + "Z"


def _timezones(zones, first, last):
    """The VTIMEZONE components (bytes) for `zones`, as build_calendar adds them."""
    cal = Calendar()
    for name in sorted(zones):
        event = Event()
        event.add("dtstart", datetime.datetime.combine(first, datetime.time(12), ZoneInfo(name)))
        cal.add_component(event)
    cal.add_missing_timezones(
        first_date=first - datetime.timedelta(days=366),
        last_date=last + datetime.timedelta(days=366),
    )
    return b"".join(component.to_ical() for component in cal.walk("VTIMEZONE"))


def build_feed(rows, days_of, *, base_url, name, session_path):
    """The public programme feed (bytes) written directly, for many sessions: the events of
    build_calendar(..., reminder=False) without a join link, without an object per property.

    `rows` are selectors.programme_feed_rows() dicts, `days_of` maps a session id to its days
    (id, date, starts_at, ends_at) in date order, `session_path(reference)` is a session page's
    path in the feed's language.
    """
    out = [
        b"BEGIN:VCALENDAR\r\n",
        _fold("PRODID:" + PRODID),
        b"VERSION:2.0\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n",
        _fold("X-WR-CALNAME:" + _escape(str(name))),
    ]
    append = out.append
    zones = {}
    countries = {}
    statuses = {value: EVENT_STATUS[value] for value in TrainingSession.Status}
    cancelled = TrainingSession.Status.CANCELLED
    day_of = _("day %(number)d of %(count)d")
    cancelled_summary = _("Cancelled: %(summary)s")
    cancelled_reason = _("Cancelled: %(reason)s")
    online = _("Online")
    hybrid = _("%(place)s and online")
    base = base_url.rstrip("/")
    first = last = None
    now = timezone.now()
    for row in rows:
        days = days_of.get(row["id"])
        if not days:
            continue
        zone = zones.get(row["time_zone"])
        if zone is None:
            zone = zones[row["time_zone"]] = ZoneInfo(row["time_zone"])
        tzid = row["time_zone"]
        url = base + session_path(row["reference"])
        stamp = _utc(row["updated_at"] or now)
        if row["delivery"] == TrainingSession.Delivery.REMOTE:
            location = online
        else:
            code = row["country"]
            if code and code not in countries:
                country = pycountry.countries.get(alpha_2=code)
                countries[code] = country.name if country else ""
            place = ", ".join(
                part for part in (row["venue"], row["city"], countries.get(code, "")) if part
            )
            if row["delivery"] == TrainingSession.Delivery.HYBRID:
                location = hybrid % {"place": place} if place else online
            else:
                location = place
        title = f"{row['course__title']} ({row['reference']})"
        lines = [row["course__summary"]] if row["course__summary"] else []
        is_cancelled = row["status"] == cancelled
        if is_cancelled:
            lines.insert(0, cancelled_reason % {"reason": row["cancellation_reason"]})
        lines.append(url)
        common = (
            _fold("DTSTAMP:" + stamp)
            + _fold("LAST-MODIFIED:" + stamp)
            + f"SEQUENCE:{row['sequence']}\r\nSTATUS:{statuses[row['status']]}\r\n".encode()
            + _fold("LOCATION:" + _escape(location))
            + _fold("URL:" + url)
            + _fold("DESCRIPTION:" + _escape("\n\n".join(lines)))
        )
        count = len(days)
        for number, (day_id, date, starts_at, ends_at) in enumerate(days, start=1):
            summary = title
            if count > 1:
                summary += " " + day_of % {"number": number, "count": count}
            if is_cancelled:
                summary = cancelled_summary % {"summary": summary}
            append(b"BEGIN:VEVENT\r\n")
            append(_fold(f"SUMMARY:{_escape(summary)}"))
            append(
                f"DTSTART;TZID={tzid}:{_local(starts_at.astimezone(zone))}\r\n"
                f"DTEND;TZID={tzid}:{_local(ends_at.astimezone(zone))}\r\n".encode()
            )
            append(_fold(f"UID:{row['id']}-day{day_id}@{UID_DOMAIN}"))
            append(common)
            append(b"END:VEVENT\r\n")
            if first is None or date < first:
                first = date
            if last is None or date > last:
                last = date
    if first is not None:
        out.insert(4, _timezones(zones, first, last))
    append(b"END:VCALENDAR\r\n")
    return b"".join(out)
