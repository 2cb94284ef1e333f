"""Reads of the communications app: who a message would reach, and the messages a person may
read.

Attendance criteria use the one definition of "attended" (sessions/attendance/selectors.py):
present on a day = confirmed and present or late that day; absent on a day = confirmed and not
present or late that day (marked absent or excused, or not marked at all); a no-show =
confirmed and attended no day of the session.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions.attendance.selectors import attended_days_q, attended_q
from sessions.models import Attendance, Registration, SessionDay, TrainingSession

from .models import MessageRecipient, SessionMessage

Audience = SessionMessage.Audience

# Registrations a trainer may tick one by one: anyone still in line for or holding a place.
ACTIVE = (
    Registration.Status.CONFIRMED,
    Registration.Status.WAITLISTED,
    Registration.Status.PENDING,
)
BY_STATUS: dict[str, Registration.Status] = {
    Audience.CONFIRMED: Registration.Status.CONFIRMED,
    Audience.WAITLISTED: Registration.Status.WAITLISTED,
    Audience.PENDING: Registration.Status.PENDING,
}


class AudienceRefused(Exception):
    """The audience asked for cannot be chosen (a day not yet begun, a missing agency...).
    `message` is for the person writing (translated)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class AudienceChoice:
    """Who a message is for: one criterion and what narrows it."""

    kind: str
    day_id: int | None = None
    agency_id: int | None = None
    country: str = ""
    registration_ids: tuple = field(default_factory=tuple)


def started_days(
    session: TrainingSession, now: datetime.datetime | None = None
) -> list[SessionDay]:
    """The session's days that have begun: the only ones attendance can be asked about."""
    now = now or timezone.now()
    return [day for day in session.days.order_by("date") if day.starts_at <= now]


def recipient_registrations(
    session: TrainingSession, choice: AudienceChoice, *, now: datetime.datetime | None = None
) -> QuerySet[Registration]:
    """The registrations of `session` a message to `choice` reaches, with their officers; only
    switched-on accounts with an address. Raises AudienceRefused."""
    now = now or timezone.now()
    registrations = Registration.objects.filter(session=session, officer__is_active=True).exclude(
        officer__email=""
    )
    confirmed = registrations.filter(status=Registration.Status.CONFIRMED)
    kind = choice.kind
    if kind in BY_STATUS:
        chosen = registrations.filter(status=BY_STATUS[kind])
    elif kind in (Audience.PRESENT, Audience.ABSENT):
        day = next((d for d in started_days(session, now) if d.pk == choice.day_id), None)
        if day is None:
            raise AudienceRefused(_("Choose a day of this session that has begun."))
        there = (
            Attendance.objects.filter(day=day).filter(attended_days_q()).values("registration_id")
        )
        chosen = (
            confirmed.filter(pk__in=there)
            if kind == Audience.PRESENT
            else confirmed.exclude(pk__in=there)
        )
    elif kind == Audience.NO_SHOW:
        if not started_days(session, now):
            raise AudienceRefused(_("Nobody can have missed a session that has not begun."))
        chosen = confirmed.exclude(attended_q())
    elif kind == Audience.AGENCY:
        if not choice.agency_id:
            raise AudienceRefused(_("Choose an agency."))
        chosen = confirmed.filter(officer__officer_profile__agency_id=choice.agency_id)
    elif kind == Audience.COUNTRY:
        if not choice.country:
            raise AudienceRefused(_("Choose a country."))
        # A subdivision (ISO 3166-2, e.g. US-CA) counts for its country, as on the roster.
        jurisdiction = "officer__officer_profile__agency__jurisdiction__"
        chosen = confirmed.filter(
            Q(**{jurisdiction + "code": choice.country})
            | Q(**{jurisdiction + "parent__code": choice.country})
        )
    elif kind == Audience.CHOSEN:
        chosen = registrations.filter(status__in=ACTIVE, pk__in=list(choice.registration_ids))
    else:
        raise AudienceRefused(_("Choose who the message is for."))
    return chosen.select_related("officer").order_by(
        "officer__last_name", "officer__first_name", "officer__email"
    )


def audience_options(session: TrainingSession) -> dict[str, Any]:
    """What the form offers: the agencies and countries of the confirmed registrants, and the
    registrations that can be ticked. Three queries."""
    confirmed = Registration.objects.filter(session=session, status=Registration.Status.CONFIRMED)
    agencies = list(
        confirmed.exclude(officer__officer_profile__agency=None)
        .values_list(
            "officer__officer_profile__agency_id", "officer__officer_profile__agency__name"
        )
        .distinct()
        .order_by("officer__officer_profile__agency__name")
    )
    prefix = "officer__officer_profile__agency__jurisdiction__"
    countries: dict[str, str] = {}
    for code, name, parent_code, parent_name in confirmed.exclude(
        officer__officer_profile__agency=None
    ).values_list(
        prefix + "code", prefix + "name", prefix + "parent__code", prefix + "parent__name"
    ):
        if parent_code:
            countries[parent_code] = parent_name
        else:
            countries[code] = name
    people = list(
        Registration.objects.filter(session=session, status__in=ACTIVE)
        .select_related("officer")
        .order_by("officer__last_name", "officer__first_name", "officer__email")
    )
    return {
        "agencies": agencies,
        "countries": sorted(countries.items(), key=lambda item: item[1]),
        "people": people,
    }


def messages_of_session(session: TrainingSession) -> QuerySet[SessionMessage]:
    """A session's messages, newest first, each with its recipients (for staff). Two queries
    whatever the number of messages."""
    from django.db.models import Prefetch

    return (
        SessionMessage.objects.filter(session=session)
        .prefetch_related(
            Prefetch(
                "recipients",
                queryset=MessageRecipient.objects.select_related("officer").order_by(
                    "officer__last_name", "officer__first_name", "officer__email"
                ),
            )
        )
        .order_by("-sent_at", "-pk")
    )


def messages_for_officer(
    user: Any, session: TrainingSession | None = None, limit: int | None = None
) -> list[SessionMessage]:
    """The messages addressed to this person (of one session, or all), newest first. An officer
    reads only what was sent to them: a message to the waitlist is not the confirmed's."""
    if not getattr(user, "is_authenticated", False):
        return []
    messages = SessionMessage.objects.filter(recipients__officer=user).select_related(
        "session__course"
    )
    if session is not None:
        messages = messages.filter(session=session)
    messages = messages.order_by("-sent_at", "-pk")
    return list(messages[:limit] if limit else messages)
