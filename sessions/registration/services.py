"""Writes with consequences for registrations: registering, cancelling, the waitlist,
approving and rejecting, and the reminders before a session. The rules they apply live in
rules.py; each write locks the session row, runs in a transaction, leaves an audit entry and
e-mails after commit.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import record

from ..models import (
    Registration,
    TrainingSession,
)
from .rules import (
    ACTIVE_REGISTRATION,
    RegistrationRefused,
    agency_quota,
    agency_root_id,
    agency_seats_held,
    confirmed_seats,
    first_day_started,
    registration_refusal,
    seat_status,
    seats_held,
    status_for_new_seat,
)

Status = TrainingSession.Status


# --- Registration --------------------------------------------------------------------------


def _notify_registration(registration: Registration, kind: str) -> None:
    from ..tasks import send_registration_email

    transaction.on_commit(
        lambda: send_registration_email.enqueue(registration_id=registration.pk, kind=kind)
    )


def _promote_waitlisted(
    session: TrainingSession, now: datetime.datetime, acting_user: Any
) -> list[Registration]:
    """Fill free seats from the waitlist, first come first served. The caller holds the
    session's row lock, so no other writer counts the same seats."""
    if session.status != Status.SCHEDULED:
        return []
    free = session.capacity - seats_held(session)
    if free <= 0:
        return []
    waiting = Registration.objects.filter(
        session=session, status=Registration.Status.WAITLISTED
    ).order_by("created_at", "pk")
    quota = agency_quota(session)
    if quota is None:
        promoted = list(waiting[:free])
    else:
        # Seats per agency: pass over those whose agency holds its share already.
        promoted, held_by = [], {}
        for registration in waiting.select_related("officer__officer_profile__agency"):
            if len(promoted) >= free:
                break
            profile = getattr(registration.officer, "officer_profile", None)
            root = agency_root_id(profile.agency if profile else None)
            if root not in held_by:
                held_by[root] = agency_seats_held(session, root)
            if held_by[root] < quota:
                held_by[root] += 1
                promoted.append(registration)
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.status_changed_at = now
        registration.save(update_fields=["status", "status_changed_at"])
        record(
            actor=acting_user,
            action=AuditEntry.Action.REGISTRATION_PROMOTED,
            target=registration,
            subject=registration.officer,
            before={"status": Registration.Status.WAITLISTED},
            after={"status": registration.status},
        )
        _notify_registration(registration, "promoted")
    return promoted


@transaction.atomic
def register(*, session: TrainingSession, officer: Any, acting_user: Any) -> Registration:
    """Register `officer` for `session`: confirmed while seats are left, else waitlisted;
    pending when the session needs approval. Raises RegistrationRefused and writes nothing
    when a rule says no.

    Capacity holds under any concurrency: the session row is locked (SELECT ... FOR UPDATE)
    before confirmed seats are counted, so concurrent registrations queue on the lock and each
    counts the seats the previous one took. The lock order also fixes the waitlist order."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    now = timezone.now()
    refusal = registration_refusal(session=session, officer=officer, now=now)
    if refusal:
        raise refusal
    if session.eligibility == TrainingSession.Eligibility.APPROVAL:
        status = Registration.Status.PENDING
    else:
        status = seat_status(session, officer)
    # A cancelled registration keeps its row (one per officer and session): reuse it, joining
    # the end of the line as if new.
    previous = (
        Registration.objects.filter(session=session, officer=officer)
        .values_list("status", flat=True)
        .first()
    )
    registration, _created = Registration.objects.update_or_create(
        session=session,
        officer=officer,
        defaults={"status": status, "created_at": now, "status_changed_at": now},
    )
    record(
        actor=acting_user,
        action=AuditEntry.Action.REGISTRATION_CREATED,
        target=registration,
        subject=officer,
        before=None if previous is None else {"status": previous},
        after={"status": status},
    )
    _notify_registration(registration, status)
    return registration


@transaction.atomic
def cancel_registration(*, registration: Registration, acting_user: Any) -> Registration:
    """Cancel a registration; a freed confirmed seat goes to the first in line in the same
    transaction. Raises RegistrationRefused when the rules say no."""
    from .. import permissions

    session = TrainingSession.objects.select_for_update().get(pk=registration.session_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.session = session
    now = timezone.now()
    if registration.status not in ACTIVE_REGISTRATION:
        raise RegistrationRefused(
            _("This registration is already %(status)s.")
            % {"status": registration.get_status_display().lower()},
            "not_active",
        )
    if not permissions.can_manage_session(acting_user, session):
        if registration.officer_id != acting_user.pk:
            raise RegistrationRefused(_("You can cancel only your own registration."), "not_yours")
        if first_day_started(session, now):
            raise RegistrationRefused(
                _("The session has started: ask its trainers to cancel your registration."),
                "started",
            )
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    before = {"status": registration.status}
    registration.status = Registration.Status.CANCELLED
    registration.status_changed_at = now
    registration.save(update_fields=["status", "status_changed_at"])
    record(
        actor=acting_user,
        action=AuditEntry.Action.REGISTRATION_CANCELLED,
        target=registration,
        subject=registration.officer,
        before=before,
        after={"status": registration.status},
    )
    _notify_registration(registration, "cancelled")
    if was_confirmed:
        _promote_waitlisted(session, now, acting_user)
    return registration


@transaction.atomic
def fill_free_seats(*, session: TrainingSession, acting_user: Any) -> list[Registration]:
    """Promote waitlisted officers into seats freed by a raised capacity (admin save) or by a
    nomination that gave its seat back (declined or lapsed, coordinators/services.py)."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    return _promote_waitlisted(session, timezone.now(), acting_user)


# --- Approval ------------------------------------------------------------------------------
#
# A session whose eligibility is "approval needed" takes registrations as pending; its trainers
# and the programme leads decide (permissions.can_decide_registrations). The rule for seats:
# an approved officer takes a seat while the session has one; when it is full they join the
# waitlist instead of over-booking it, in the order they asked to register (their created_at,
# never the time of approval, so a slow decision costs nobody their place in line). A bulk
# approval seats the selected officers in that same order. A rejection needs a reason, which the
# officer reads on My training and on the session page. Every decision records who and when, and
# e-mails the officer after commit (confirmed mails carry the session's .ics).


class DecisionRefused(RegistrationRefused):
    """An approval or rejection the rules do not allow (message for staff, code for tests)."""


def _decision_changes(
    registration: Registration, before: dict[str, Any]
) -> dict[str, tuple[Any, Any]]:
    """{field: (before, after)} of a decision, ready for an audit entry."""
    return {
        field: (before[field], getattr(registration, field))
        for field in before
        if before[field] != getattr(registration, field)
    }


def _audit_decision(
    registration: Registration, acting_user: Any, action: str, before: dict[str, Any]
) -> None:
    """Keep the decision's changes on the registration and write them to the audit log."""
    changes = _decision_changes(registration, before)
    registration.decision_changes = changes
    record(
        actor=acting_user,
        action=action,
        target=registration,
        subject=registration.officer,
        before={field: old for field, (old, _new) in changes.items()},
        after={field: new for field, (_old, new) in changes.items()},
    )


DECISION_FIELDS = ("status", "status_changed_at", "decided_by_id", "decided_at", "rejection_reason")


def _lock_pending(session: TrainingSession, registration_ids: Iterable[int]) -> list[Registration]:
    """The registrations (locked, in the order their officers asked), all pending on `session`;
    anything else refuses the whole decision and writes nothing."""
    if not registration_ids:
        raise DecisionRefused(_("Select at least one registration."), "none_selected")
    registrations = list(
        Registration.objects.select_for_update(of=("self",))
        .filter(session=session, pk__in=list(registration_ids))
        .select_related("officer")
        .order_by("created_at", "pk")
    )
    if len(registrations) != len(set(registration_ids)):
        raise DecisionRefused(
            _("Some of the selected registrations are not on this session."), "not_on_session"
        )
    decided = [r for r in registrations if r.status != Registration.Status.PENDING]
    if decided:
        raise DecisionRefused(
            _("Only pending registrations can be decided; already decided: %(who)s.")
            % {
                "who": ", ".join(
                    f"{r.officer.email} ({r.get_status_display().lower()})" for r in decided
                )
            },
            "not_pending",
        )
    return registrations


def _lock_session_for_decision(session: TrainingSession, acting_user: Any) -> TrainingSession:
    from .. import permissions

    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if not permissions.can_decide_registrations(acting_user, session):
        raise DecisionRefused(
            _("Only the session's trainers and the programme leads decide its registrations."),
            "not_allowed",
        )
    if session.status != Status.SCHEDULED:
        raise DecisionRefused(
            _("Registrations can be decided only on a scheduled session (this one is %(status)s).")
            % {"status": session.get_status_display().lower()},
            "not_scheduled",
        )
    return session


@transaction.atomic
def approve_registrations(
    *, session: TrainingSession, registration_ids: Iterable[int], acting_user: Any
) -> list[Registration]:
    """Approve pending registrations of one session: a seat for each while seats are left,
    the waitlist (in the order they asked) for the rest. All or nothing: one registration that
    is no longer pending refuses the lot (DecisionRefused) and writes nothing. The session row
    is locked as in register(), so concurrent approvals and registrations never over-book."""
    session = _lock_session_for_decision(session, acting_user)
    registrations = _lock_pending(session, registration_ids)
    now = timezone.now()
    confirmed = confirmed_seats(session)
    for registration in registrations:
        before = {field: getattr(registration, field) for field in DECISION_FIELDS}
        registration.status = status_for_new_seat(session, confirmed)
        if registration.status == Registration.Status.CONFIRMED:
            confirmed += 1
        registration.status_changed_at = now
        registration.decided_by = acting_user
        registration.decided_at = now
        registration.save(update_fields=["status", "status_changed_at", "decided_by", "decided_at"])
        _audit_decision(registration, acting_user, AuditEntry.Action.REGISTRATION_APPROVED, before)
        kind = (
            "approved"
            if registration.status == Registration.Status.CONFIRMED
            else "approved_waitlisted"
        )
        _notify_registration(registration, kind)
    return registrations


def approve_registration(*, registration: Registration, acting_user: Any) -> Registration:
    """Approve one pending registration (see approve_registrations for the rules)."""
    (approved,) = approve_registrations(
        session=TrainingSession(pk=registration.session_id),
        registration_ids=[registration.pk],
        acting_user=acting_user,
    )
    return approved


@transaction.atomic
def reject_registrations(
    *,
    session: TrainingSession,
    registration_ids: Iterable[int],
    acting_user: Any,
    reason: str,
) -> list[Registration]:
    """Reject pending registrations of one session with a reason the officers read. All or
    nothing, like approve_registrations; a blank reason is refused."""
    reason = (reason or "").strip()
    if not reason:
        raise DecisionRefused(
            _("Give the officer a reason for rejecting the registration."), "no_reason"
        )
    session = _lock_session_for_decision(session, acting_user)
    registrations = _lock_pending(session, registration_ids)
    now = timezone.now()
    for registration in registrations:
        before = {field: getattr(registration, field) for field in DECISION_FIELDS}
        registration.status = Registration.Status.REJECTED
        registration.rejection_reason = reason
        registration.status_changed_at = now
        registration.decided_by = acting_user
        registration.decided_at = now
        registration.save(
            update_fields=[
                "status",
                "rejection_reason",
                "status_changed_at",
                "decided_by",
                "decided_at",
            ]
        )
        _audit_decision(registration, acting_user, AuditEntry.Action.REGISTRATION_REJECTED, before)
        _notify_registration(registration, "rejected")
    return registrations


def reject_registration(
    *, registration: Registration, acting_user: Any, reason: str
) -> Registration:
    """Reject one pending registration with a reason (see reject_registrations)."""
    (rejected,) = reject_registrations(
        session=TrainingSession(pk=registration.session_id),
        registration_ids=[registration.pk],
        acting_user=acting_user,
        reason=reason,
    )
    return rejected


# --- Reminders -----------------------------------------------------------------------------


@transaction.atomic
def queue_session_reminders(
    *, within_hours: float, acting_user: Any = None, now: datetime.datetime | None = None
) -> list[Registration]:
    """Mark and e-mail (after commit) every confirmed registrant not yet reminded of a scheduled
    session whose first day starts within the next `within_hours`. Running it again finds
    nobody new: reminded_at is set in the same transaction (rows locked, so two overlapping
    cron runs do not both send)."""
    from django.db.models import Min

    now = now or timezone.now()
    horizon = now + datetime.timedelta(hours=within_hours)
    session_ids = (
        TrainingSession.objects.filter(status=Status.SCHEDULED)
        .annotate(first_start=Min("days__starts_at"))
        .filter(first_start__gt=now, first_start__lte=horizon)
        .values("pk")
    )
    due = list(
        Registration.objects.select_for_update()
        .filter(
            session_id__in=session_ids,
            status=Registration.Status.CONFIRMED,
            reminded_at__isnull=True,
        )
        .order_by("pk")
    )
    for registration in due:
        registration.reminded_at = now
        _notify_registration(registration, "reminder")
    Registration.objects.bulk_update(due, ["reminded_at"])
    return due
