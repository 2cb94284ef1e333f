"""Writes with consequences for coordinators: granting and removing the role, nominating,
and the nominee's answer (accept, decline) or the lapse. Each runs in one transaction, takes a
keyword-only `acting_user` and writes an audit entry. Seats are the registration rules' (one
home: sessions/registration/rules.py): every write that takes or frees a seat locks the session
row first, exactly as register() does, and acceptance goes through register() itself.
"""

import datetime
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from attendees.models import Agency, OfficerProfile
from audit.models import AuditEntry
from audit.services import record
from sessions.models import Registration, TrainingSession
from sessions.registration import rules
from sessions.registration.rules import RegistrationRefused
from sessions.registration.services import fill_free_seats, register

from . import selectors
from .models import AgencyCoordinator, Nomination


class CoordinatorRefused(RegistrationRefused):
    """A grant, nomination or answer the rules do not allow (message for people, code for
    code and tests)."""


# --- The role ------------------------------------------------------------------------------


def _covers(agency: Agency, officer_agency: Agency | None) -> bool:
    return officer_agency is not None and agency.pk in (officer_agency.pk, officer_agency.parent_id)


@transaction.atomic
def grant_coordinator(
    *, user: Any, agency: Agency, acting_user: Any, notify_copies: bool = True
) -> AgencyCoordinator:
    """Make `user` (a verified officer of `agency` or one of its units) a coordinator of
    `agency`. Programme leads only."""
    if not roles.is_programme_lead(acting_user):
        raise CoordinatorRefused(_("Only programme leads name agency coordinators."), "not_allowed")
    profile = OfficerProfile.objects.filter(user=user).select_related("agency").first()
    if profile is None or not profile.is_verified or not user.is_active:
        raise CoordinatorRefused(_("A coordinator must be a verified officer."), "not_verified")
    if not _covers(agency, profile.agency):
        raise CoordinatorRefused(
            _("%(person)s is not an officer of %(agency)s or one of its units.")
            % {"person": user.email, "agency": agency},
            "other_agency",
        )
    if AgencyCoordinator.objects.filter(user=user, agency=agency).exists():
        raise CoordinatorRefused(
            _("%(person)s already coordinates %(agency)s.")
            % {"person": user.email, "agency": agency},
            "duplicate",
        )
    coordinator = AgencyCoordinator.objects.create(
        user=user, agency=agency, notify_copies=notify_copies, granted_by=acting_user
    )
    record(
        actor=acting_user,
        action=AuditEntry.Action.COORDINATOR_GRANTED,
        target=coordinator,
        subject=user,
        after={"agency": str(agency), "notify_copies": notify_copies},
    )
    return coordinator


def _remove(coordinator: AgencyCoordinator, acting_user: Any, reason: str) -> None:
    record(
        actor=acting_user,
        action=AuditEntry.Action.COORDINATOR_REMOVED,
        target=coordinator,
        subject=coordinator.user,
        before={"agency": str(coordinator.agency)},
        summary=reason[:255],
    )
    coordinator.delete()


@transaction.atomic
def remove_coordinator(
    *, coordinator: AgencyCoordinator, acting_user: Any, reason: str = ""
) -> None:
    """Take the role away (programme leads only)."""
    if not roles.is_programme_lead(acting_user):
        raise CoordinatorRefused(
            _("Only programme leads remove agency coordinators."), "not_allowed"
        )
    _remove(coordinator, acting_user, reason or _("Removed by a programme lead."))


@transaction.atomic
def drop_roles_outside_agency(*, profile: OfficerProfile) -> int:
    """The officer's agency changed (or they are no longer verified): remove every coordinator
    role they no longer qualify for, as the system. Returns the number removed."""
    removed = 0
    for coordinator in AgencyCoordinator.objects.filter(user_id=profile.user_id).select_related(
        "agency", "user"
    ):
        if profile.is_verified and _covers(coordinator.agency, profile.agency):
            continue
        _remove(coordinator, None, _("The officer no longer works for the agency."))
        removed += 1
    return removed


# --- Nominations ---------------------------------------------------------------------------


def _lock_session(session: TrainingSession) -> TrainingSession:
    return TrainingSession.objects.select_for_update().get(pk=session.pk)


def nomination_refusal(
    *,
    session: TrainingSession,
    officer: Any,
    acting_user: Any,
    now: datetime.datetime | None = None,
) -> CoordinatorRefused | None:
    """Why `acting_user` may not nominate `officer` for `session` now, or None. Reads only;
    nominate() asks again under the session's lock."""
    now = now or timezone.now()
    if session.eligibility != TrainingSession.Eligibility.NOMINATION:
        return CoordinatorRefused(_("This session does not take nominations."), "not_by_nomination")
    if session.status != TrainingSession.Status.SCHEDULED or rules.first_day_started(session, now):
        return CoordinatorRefused(_("This session is not open for nominations."), "closed")
    if session.registration_closes and now >= session.registration_closes:
        return CoordinatorRefused(_("Registration for this session has closed."), "closed")
    profile = roles.officer_profile(officer)
    if (
        profile is None
        or not profile.is_verified
        or profile.agency_id not in selectors.scope_agency_ids(acting_user)
    ):
        return CoordinatorRefused(
            _("You can nominate only verified officers of the agencies you coordinate."),
            "not_in_scope",
        )
    if Nomination.objects.filter(
        session=session,
        officer=officer,
        status__in=[Nomination.Status.PENDING, Nomination.Status.ACCEPTED],
    ).exists():
        return CoordinatorRefused(
            _("%(person)s is already nominated for this session.") % {"person": officer.email},
            "duplicate",
        )
    if Registration.objects.filter(
        session=session, officer=officer, status__in=rules.ACTIVE_REGISTRATION
    ).exists():
        return CoordinatorRefused(
            _("%(person)s is already registered for this session.") % {"person": officer.email},
            "registered",
        )
    return None


@transaction.atomic
def nominate(*, session: TrainingSession, officer: Any, acting_user: Any) -> Nomination:
    """Nominate `officer` for `session`. The nomination holds a seat while one is free for the
    officer's agency (capacity and seats per agency, counted under the session's lock);
    otherwise it holds none and an acceptance joins the waitlist."""
    session = _lock_session(session)
    now = timezone.now()
    refusal = nomination_refusal(session=session, officer=officer, acting_user=acting_user, now=now)
    if refusal:
        raise refusal
    root = rules.agency_root_id(officer.officer_profile.agency)
    holds_seat = rules.has_seat_for(session, root)
    nomination = Nomination.objects.create(
        session=session,
        officer=officer,
        # Never None: nomination_refusal() above refuses an officer without an agency (None is
        # in no coordinator's scope).
        agency_id=cast(int, root),
        nominated_by=acting_user,
        holds_seat=holds_seat,
        created_at=now,
    )
    record(
        actor=acting_user,
        action=AuditEntry.Action.NOMINATION_CREATED,
        target=nomination,
        subject=officer,
        after={"session": session.reference, "holds_seat": holds_seat},
    )
    from .tasks import send_nomination_email

    transaction.on_commit(lambda: send_nomination_email.enqueue(nomination_id=nomination.pk))
    return nomination


def _lock_pending(
    session: TrainingSession, nomination: Nomination, acting_user: Any
) -> tuple[TrainingSession, Nomination]:
    session = _lock_session(session)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if acting_user is not None and nomination.officer_id != acting_user.pk:
        raise CoordinatorRefused(_("Only the officer nominated can answer."), "not_yours")
    if nomination.status != Nomination.Status.PENDING:
        raise CoordinatorRefused(
            _("This nomination is already %(status)s.")
            % {"status": nomination.get_status_display().lower()},
            "not_pending",
        )
    nomination.session = session
    return session, nomination


@transaction.atomic
def accept_nomination(*, nomination: Nomination, acting_user: Any) -> Nomination:
    """The nominee accepts: the nomination's seat (if it held one) becomes a confirmed
    registration; without one the officer takes a free seat or joins the waitlist. Through
    register(), under the same session lock: capacity and seats per agency hold."""
    session, nomination = _lock_pending(
        TrainingSession(pk=nomination.session_id), nomination, acting_user
    )
    now = timezone.now()
    held = nomination.holds_seat
    nomination.status = Nomination.Status.ACCEPTED
    nomination.holds_seat = False
    nomination.decided_at = now
    nomination.save(update_fields=["status", "holds_seat", "decided_at"])
    # The seat the nomination held is free again for this very officer: register() counts it.
    registration = register(session=session, officer=nomination.officer, acting_user=acting_user)
    nomination.registration = registration
    nomination.save(update_fields=["registration"])
    record(
        actor=acting_user,
        action=AuditEntry.Action.NOMINATION_ACCEPTED,
        target=nomination,
        subject=nomination.officer,
        before={"status": Nomination.Status.PENDING, "holds_seat": held},
        after={"status": nomination.status, "registration": registration.status},
    )
    return nomination


def _give_back(
    session: TrainingSession,
    nomination: Nomination,
    status: str,
    acting_user: Any,
    now: datetime.datetime,
) -> None:
    held = nomination.holds_seat
    nomination.status = status
    nomination.holds_seat = False
    nomination.decided_at = now
    nomination.save(update_fields=["status", "holds_seat", "decided_at"])
    record(
        actor=acting_user,
        action=(
            AuditEntry.Action.NOMINATION_DECLINED
            if status == Nomination.Status.DECLINED
            else AuditEntry.Action.NOMINATION_LAPSED
        ),
        target=nomination,
        subject=nomination.officer,
        before={"status": Nomination.Status.PENDING, "holds_seat": held},
        after={"status": status},
    )
    if held:
        fill_free_seats(session=session, acting_user=acting_user)


@transaction.atomic
def decline_nomination(*, nomination: Nomination, acting_user: Any) -> Nomination:
    """The nominee declines: a seat the nomination held goes to the first in line."""
    session, nomination = _lock_pending(
        TrainingSession(pk=nomination.session_id), nomination, acting_user
    )
    _give_back(session, nomination, Nomination.Status.DECLINED, acting_user, timezone.now())
    return nomination


def lapse_nominations(
    *, days: int | None = None, now: datetime.datetime | None = None
) -> list[Nomination]:
    """Lapse every nomination pending for more than `days` (NOMINATION_LAPSE_DAYS): each in
    its own transaction, under its session's lock, freeing its seat for the waitlist. Running
    it again finds nothing new. Returns the nominations lapsed."""
    days = settings.NOMINATION_LAPSE_DAYS if days is None else days
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=days)
    lapsed: list[Nomination] = []
    for nomination in Nomination.objects.filter(
        status=Nomination.Status.PENDING, created_at__lte=cutoff
    ).order_by("created_at", "pk"):
        with transaction.atomic():
            try:
                session, locked = _lock_pending(
                    TrainingSession(pk=nomination.session_id), nomination, None
                )
            except CoordinatorRefused:
                continue  # answered meanwhile
            _give_back(session, locked, Nomination.Status.LAPSED, None, now)
            lapsed.append(locked)
    return lapsed
