"""The registration rules, in one place: who may register (eligibility, the registration
window, verification), how seats are counted and given, who may cancel, and who sees a
session's online join link. register(), the approval services, the session page, the
e-mails and the calendars all ask here.

Reads only; the writes are in sessions/registration/services.py.
"""

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from attendees.models import Agency, OfficerProfile
from muster import dates

from ..models import Registration, TrainingSession

Status = TrainingSession.Status


class RegistrationRefused(Exception):
    """A registration or cancellation the rules do not allow. `message` is for the officer
    (translated), `code` for code and tests."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# Statuses that hold a place (or a place in line): registering again is a duplicate.
ACTIVE_REGISTRATION = (
    Registration.Status.CONFIRMED,
    Registration.Status.WAITLISTED,
    Registration.Status.PENDING,
)


def first_day_started(session: TrainingSession, now: datetime.datetime) -> bool:
    first = min((day.starts_at for day in session.days.all()), default=None)
    return first is not None and first <= now


def is_eligible(session: TrainingSession, officer: Any, profile: OfficerProfile) -> bool:
    Eligibility = TrainingSession.Eligibility
    if session.eligibility == Eligibility.NAMED:
        agency = profile.agency
        if agency is None:
            return False
        if session.eligible_agencies.filter(pk__in=[agency.pk, agency.parent_id]).exists():
            return True
        jurisdiction = agency.jurisdiction
        return session.eligible_jurisdictions.filter(
            pk__in=[jurisdiction.pk, jurisdiction.parent_id]
        ).exists()
    if session.eligibility == Eligibility.INVITATION:
        return session.invited_officers.filter(pk=officer.pk).exists()
    if session.eligibility == Eligibility.NOMINATION:
        # An officer registers by accepting a nomination (coordinators/services.py); read
        # through the reverse relation so that sessions never imports coordinators.
        return session.nominations.filter(officer=officer, status="accepted").exists()
    return True


def registration_refusal(
    *, session: TrainingSession, officer: Any, now: datetime.datetime | None = None
) -> RegistrationRefused | None:
    """Why `officer` may not register for `session` now, as a RegistrationRefused, or None.

    Reads only: register() asks again under the session's lock; the session page asks to show
    the reason beside the button."""
    now = now or timezone.now()
    if session.status != Status.SCHEDULED:
        return RegistrationRefused(
            _("This session is not open for registration (it is %(status)s).")
            % {"status": session.get_status_display().lower()},
            "not_scheduled",
        )
    if session.registration_opens and now < session.registration_opens:
        return RegistrationRefused(
            _("Registration opens on %(when)s.")
            % {"when": dates.format_datetime(session.registration_opens.astimezone(session.zone))},
            "not_open_yet",
        )
    if (session.registration_closes and now >= session.registration_closes) or (
        first_day_started(session, now)
    ):
        return RegistrationRefused(_("Registration for this session has closed."), "closed")
    profile = roles.officer_profile(officer)
    if profile is None:
        return RegistrationRefused(
            _("Only officers can register. Complete your officer profile first."), "not_officer"
        )
    if not roles.is_verified_officer(officer):
        return RegistrationRefused(
            _(
                "Your account is not verified yet. You can register once the programme has "
                "verified that you work for %(agency)s."
            )
            % {"agency": profile.agency or _("your agency")},
            "not_verified",
        )
    if not is_eligible(session, officer, profile):
        if session.eligibility == TrainingSession.Eligibility.INVITATION:
            return RegistrationRefused(
                _("This session is by invitation only, and you have not been invited."),
                "not_invited",
            )
        if session.eligibility == TrainingSession.Eligibility.NOMINATION:
            return RegistrationRefused(
                _(
                    "This session takes officers nominated by their agency's coordinator: "
                    "accept your nomination on My training."
                ),
                "not_nominated",
            )
        return RegistrationRefused(
            _("This session is open only to officers of the agencies or jurisdictions named."),
            "not_eligible",
        )
    existing, rejection_reason = (
        Registration.objects.filter(session=session, officer=officer)
        .values_list("status", "rejection_reason")
        .first()
    ) or (None, "")
    if existing in ACTIVE_REGISTRATION:
        return RegistrationRefused(
            _("You are already registered for this session (%(status)s).")
            % {"status": Registration.Status(existing).label.lower()},
            "duplicate",
        )
    if existing == Registration.Status.REJECTED:
        return RegistrationRefused(
            _("Your registration for this session was declined: %(reason)s")
            % {"reason": rejection_reason},
            "rejected",
        )
    return None


def can_cancel(
    *, registration: Registration, user: Any, now: datetime.datetime | None = None
) -> bool:
    """Officers cancel their own until the first day starts; the session's staff anytime."""
    from .. import permissions

    if registration.status not in ACTIVE_REGISTRATION:
        return False
    if permissions.can_manage_session(user, registration.session):
        return True
    now = now or timezone.now()
    return registration.officer_id == user.pk and not first_day_started(registration.session, now)


# --- Seats ---------------------------------------------------------------------------------
#
# A seat is a confirmed registration: waitlisted, pending, cancelled and rejected ones hold
# none. Walk-ins hold one too (they are confirmed), which is how a room can end up above
# capacity without the seat count ever letting a registration over-book it.

CONFIRMED_SEAT = Q(status=Registration.Status.CONFIRMED)


def seat_of(officer: Any, session: TrainingSession) -> Registration | None:
    """The officer's registration on the session when it holds a seat (confirmed), else None:
    who may check in, sit the session's knowledge checks, see its join link."""
    if not getattr(officer, "is_authenticated", False):
        return None
    return Registration.objects.filter(CONFIRMED_SEAT, officer=officer, session=session).first()


def confirmed_seats(session: TrainingSession) -> int:
    """The number of confirmed registrations on `session` (ask under its row lock to write)."""
    return Registration.objects.filter(CONFIRMED_SEAT, session=session).count()


def with_confirmed_count(queryset: QuerySet[TrainingSession]) -> QuerySet[TrainingSession]:
    """Annotate sessions with `confirmed_count` (what `seats_left` reads without a query).
    Distinct, so other counts over the registrations in the same query cannot inflate it."""
    return queryset.annotate(
        confirmed_count=Count(
            "registrations",
            filter=Q(registrations__status=Registration.Status.CONFIRMED),
            distinct=True,
        )
    )


def seats_left(session: TrainingSession) -> int:
    """Free seats (never negative): reads the `confirmed_count` annotation when present."""
    confirmed = getattr(session, "confirmed_count", None)
    if confirmed is None:
        confirmed = confirmed_seats(session)
    return max(session.capacity - confirmed, 0)


def status_for_new_seat(session: TrainingSession, confirmed: int) -> Registration.Status:
    """Confirmed while seats are left, else waitlisted (`confirmed` counted under the lock)."""
    if confirmed < session.capacity:
        return Registration.Status.CONFIRMED
    return Registration.Status.WAITLISTED


# --- Seats on sessions by nomination ---------------------------------------------------------
#
# On a session by nomination a pending nomination holds a seat (`holds_seat`) until it is
# accepted (the seat becomes the registration's), declined or lapses (the seat is freed and the
# waitlist moves up). So the seats held are the confirmed registrations plus those nominations,
# and an optional `seats_per_agency` caps what one agency, counted with its units, holds. Every
# count here is asked under the session's row lock by the writer that acts on it.


def agency_root_id(agency: Agency | None) -> int | None:
    """The agency a unit belongs to, or the agency itself: seats per agency count both."""
    if agency is None:
        return None
    return agency.parent_id or agency.pk


def _takes_nominations(session: TrainingSession) -> bool:
    return session.eligibility == TrainingSession.Eligibility.NOMINATION


def reserved_seats(session: TrainingSession, agency_root: int | None = None) -> int:
    """Seats held by pending nominations (all, or one agency's): 0 unless by nomination."""
    if not _takes_nominations(session):
        return 0
    held = session.nominations.filter(holds_seat=True)
    if agency_root is not None:
        held = held.filter(agency_id=agency_root)
    return held.count()


def seats_held(session: TrainingSession) -> int:
    """Confirmed registrations plus nominations holding a seat."""
    return confirmed_seats(session) + reserved_seats(session)


def agency_seats_held(session: TrainingSession, agency_root: int | None) -> int:
    """Seats held by one agency and its units on `session` (confirmed or nominated)."""
    confirmed = Registration.objects.filter(
        CONFIRMED_SEAT,
        session=session,
    ).filter(
        Q(officer__officer_profile__agency_id=agency_root)
        | Q(officer__officer_profile__agency__parent_id=agency_root)
    )
    return confirmed.count() + reserved_seats(session, agency_root)


def agency_quota(session: TrainingSession) -> int | None:
    """The seats one agency may hold on `session`, or None for no limit."""
    if _takes_nominations(session) and session.seats_per_agency:
        return session.seats_per_agency
    return None


def has_seat_for(session: TrainingSession, agency_root: int | None) -> bool:
    """A seat is free on `session` for an officer of `agency_root` (ask under the lock)."""
    if seats_held(session) >= session.capacity:
        return False
    quota = agency_quota(session)
    if quota is None:
        return True
    return agency_seats_held(session, agency_root) < quota


def seat_status(session: TrainingSession, officer: Any) -> Registration.Status:
    """Confirmed while a seat is free for `officer` (capacity and, on sessions by nomination,
    the seats per agency), else waitlisted. Asked under the session's lock."""
    profile = getattr(officer, "officer_profile", None)
    root = agency_root_id(profile.agency if profile else None)
    if has_seat_for(session, root):
        return Registration.Status.CONFIRMED
    return Registration.Status.WAITLISTED


# --- The online join link ------------------------------------------------------------------


def holds_seat(registration: Registration | None) -> bool:
    return registration is not None and registration.status == Registration.Status.CONFIRMED


def join_link(session: TrainingSession, *, seat: bool = False, trains: bool = False) -> str:
    """The session's online join link for a reader who holds a confirmed seat (`seat`) or
    trains it (`trains`), else "". Never shown to anyone else: not on the public page, not in
    the programme feed, not to the waitlist."""
    if session.join_url and (seat or trains):
        return session.join_url
    return ""


def join_link_for_user(user: Any, session: TrainingSession) -> str:
    """join_link() for a signed-in person, asking the database who they are to the session."""
    if not roles.is_active_account(user):
        return ""
    if not session.join_url:
        return ""
    seat = Registration.objects.filter(CONFIRMED_SEAT, officer=user, session=session).exists()
    return join_link(session, seat=seat, trains=roles.trains_session(user, session))
