"""Writes with consequences for sessions: status changes, trainer clashes, copies, training
requests and calendar feed tokens. Each is one function with keyword-only arguments, run in a
transaction; side effects (e-mail) run after commit through the tasks framework.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.services import record
from muster import dates

from . import signals
from .models import (
    CalendarFeedToken,
    Registration,
    SessionDay,
    TrainingRequest,
    TrainingSession,
)

Status = TrainingSession.Status

# Which status may follow which. Delivered and cancelled are final.
TRANSITIONS = {
    Status.DRAFT: {Status.SCHEDULED, Status.CANCELLED},
    Status.SCHEDULED: {Status.DELIVERED, Status.CANCELLED},
    Status.DELIVERED: set(),
    Status.CANCELLED: set(),
}


@dataclass(frozen=True)
class PlannedDay:
    """A day as the user entered it (local date and times), saved or not."""

    date: datetime.date
    start_time: datetime.time
    end_time: datetime.time

    def instants(self, zone):
        return (
            datetime.datetime.combine(self.date, self.start_time, tzinfo=zone),
            datetime.datetime.combine(self.date, self.end_time, tzinfo=zone),
        )


def find_trainer_clashes(*, session, days, trainer_ids, time_zone):
    """Messages naming each other session (and the day) that overlaps one of `days` in absolute
    time and shares a trainer. Back-to-back days (one ends when the other starts) do not clash.
    Cancelled sessions neither clash nor are clashed with."""
    if not trainer_ids or not days:
        return []
    import zoneinfo

    zone = zoneinfo.ZoneInfo(time_zone)
    intervals = [(day, *day.instants(zone)) for day in days]
    earliest = min(start for _day, start, _end in intervals)
    latest = max(end for _day, _start, end in intervals)
    others = (
        SessionDay.objects.filter(
            session__trainers__in=list(trainer_ids),
            starts_at__lt=latest,
            ends_at__gt=earliest,
        )
        .exclude(session__status=Status.CANCELLED)
        .select_related("session")
        .distinct()
        .order_by("starts_at")
    )
    if session is not None and session.pk:
        others = others.exclude(session_id=session.pk)
    messages = []
    for other in others:
        for day, start, end in intervals:
            if start < other.ends_at and other.starts_at < end:
                other_local = other.starts_at.astimezone(other.session.zone)
                messages.append(
                    _(
                        "A trainer of this session also trains %(reference)s on %(other_day)s "
                        "(%(other_zone)s), which overlaps this session's day %(day)s."
                    )
                    % {
                        "reference": other.session.reference,
                        "other_day": dates.format_datetime(other_local),
                        "other_zone": other.session.time_zone,
                        "day": dates.format_date(day.date, "long"),
                    }
                )
    return messages


@transaction.atomic
def check_trainer_clashes(*, session):
    """Raise ValidationError if a saved session clashes with another of its trainers'."""
    if session.status == Status.CANCELLED:
        return
    trainer_ids = sorted(session.trainers.values_list("pk", flat=True))
    # Lock the trainers' rows (in id order, so two saves never deadlock) until this transaction
    # ends: two sessions saved at the same moment for the same trainer are then checked one
    # after the other, and the second sees the first's days instead of both passing.
    list(
        get_user_model()
        .objects.select_for_update()
        .filter(pk__in=trainer_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    days = [PlannedDay(d.date, d.start_time, d.end_time) for d in session.days.all()]
    messages = find_trainer_clashes(
        session=session,
        days=days,
        trainer_ids=trainer_ids,
        time_zone=session.time_zone,
    )
    if messages:
        raise ValidationError(messages)


def bump_sequence(*, session):
    """Tell calendar programs the session changed (iCalendar SEQUENCE)."""
    # DTSTAMP in the feeds reads updated_at, which update() would not touch by itself.
    TrainingSession.objects.filter(pk=session.pk).update(
        sequence=F("sequence") + 1, updated_at=timezone.now()
    )
    session.refresh_from_db(fields=["sequence", "updated_at"])


def transition_error(*, session, status, reason=""):
    """The message refusing this change of status, or None when it is allowed."""
    if status == session.status:
        return _("The session is already %(status)s.") % {"status": session.get_status_display()}
    if status not in TRANSITIONS[session.status]:
        return _("A %(old)s session cannot become %(new)s.") % {
            "old": session.get_status_display().lower(),
            "new": Status(status).label.lower(),
        }
    if status == Status.SCHEDULED and not session.days.exists():
        return _("Add at least one day before scheduling the session.")
    if status == Status.DELIVERED and not session.has_ended:
        return _("A session can be marked delivered only after its last day has ended.")
    if status == Status.CANCELLED and not reason.strip():
        return _("Give a reason for cancelling.")
    return None


@transaction.atomic
def change_status(*, session, status, acting_user, reason=""):
    """Move a session to `status`: draft → scheduled → delivered; draft or scheduled →
    cancelled with a reason. Anything else raises ValidationError and writes nothing."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    error = transition_error(session=session, status=status, reason=reason)
    if error:
        raise ValidationError(error)
    if status == Status.SCHEDULED:
        check_trainer_clashes(session=session)
    session.status = status
    if status == Status.CANCELLED:
        session.cancellation_reason = reason.strip()
    session.sequence = F("sequence") + 1
    session.save(update_fields=["status", "cancellation_reason", "sequence", "updated_at"])
    session.refresh_from_db()
    if status == Status.DELIVERED:
        transaction.on_commit(
            lambda: signals.session_delivered.send(
                sender=TrainingSession, session=session, acting_user=acting_user
            )
        )
    return session


@transaction.atomic
def record_admin_save(*, session, acting_user, created):
    """After the admin saved a session and its days: derive the UTC instants and first/last
    dates, make a trainer who created a session its trainer, refuse trainer clashes (the
    transaction rolls back) and bump the calendar SEQUENCE."""
    from . import permissions

    if created and not permissions.sees_all_sessions(acting_user):
        session.trainers.add(acting_user)
    session.refresh_schedule()
    check_trainer_clashes(session=session)
    if not created:
        bump_sequence(session=session)
        # A raised capacity seats the first in line at once.
        fill_free_seats(session=session, acting_user=acting_user)
    return session


def next_reference(*, year, country):
    """A free reference in the programme's style: 2023-HK-014 (RM for remote)."""
    prefix = f"{year}-{country or 'RM'}-"
    taken = set(
        TrainingSession.objects.filter(reference__startswith=prefix).values_list(
            "reference", flat=True
        )
    )
    number = len(taken) + 1
    while f"{prefix}{number:03d}" in taken:
        number += 1
    return f"{prefix}{number:03d}"


@transaction.atomic
def schedule_again(*, session, first_date, acting_user, reference=""):
    """Copy a session (days shifted so the first falls on `first_date`, same trainers, no
    registrations) as a new draft with a new reference."""
    days = list(session.days.order_by("date"))
    if not days:
        raise ValidationError(_("The session has no days to copy."))
    offset = first_date - days[0].date
    reference = reference.strip() or next_reference(year=first_date.year, country=session.country)
    if TrainingSession.objects.filter(reference=reference).exists():
        raise ValidationError(_("The reference %(reference)s is taken.") % {"reference": reference})
    copy = TrainingSession.objects.create(
        reference=reference,
        course=session.course,
        delivery=session.delivery,
        status=Status.DRAFT,
        time_zone=session.time_zone,
        venue=session.venue,
        city=session.city,
        country=session.country,
        join_url=session.join_url,
        capacity=session.capacity,
        eligibility=session.eligibility,
        host_agency=session.host_agency,
        language=session.language,
        notes=session.notes,
    )
    for day in days:
        SessionDay.objects.create(
            session=copy,
            date=day.date + offset,
            start_time=day.start_time,
            end_time=day.end_time,
        )
    copy.trainers.set(session.trainers.all())
    copy.refresh_schedule()
    check_trainer_clashes(session=copy)
    return copy


# --- Training requests ---------------------------------------------------------------------


@transaction.atomic
def submit_training_request(*, requester, acting_user, **fields):
    from . import permissions

    if not permissions.can_request_training(requester):
        raise ValidationError(_("Only verified officers can request a training."))
    request = TrainingRequest(
        requester=requester, agency=requester.officer_profile.agency, **fields
    )
    request.full_clean()
    request.save()
    return request


def _notify_requester(request):
    from .tasks import send_training_request_decision

    transaction.on_commit(
        lambda: send_training_request_decision.enqueue(training_request_id=request.pk)
    )


@transaction.atomic
def accept_training_request(*, training_request, acting_user):
    """Accept a submitted request: create a draft session filled from it, link it, e-mail the
    requester after commit."""
    request = TrainingRequest.objects.select_for_update().get(pk=training_request.pk)
    if request.status != TrainingRequest.Status.SUBMITTED:
        raise ValidationError(_("This request has already been decided."))
    if request.course_id is None:
        raise ValidationError(
            _("Choose the course that fits the requested topic before accepting.")
        )
    agency = request.agency
    country = agency.jurisdiction.country_code or ""
    first = request.preferred_start or (timezone.localdate() + datetime.timedelta(days=60))
    session = TrainingSession.objects.create(
        reference=next_reference(year=first.year, country=country),
        course=request.course,
        delivery=request.delivery,
        status=Status.DRAFT,
        city=request.city,
        country=country,
        capacity=max(request.expected_participants, 1),
        host_agency=agency,
        notes=_("Created from the training request of %(requester)s (%(agency)s).")
        % {"requester": request.requester, "agency": agency}
        + ("\n" + request.preferred_dates if request.preferred_dates else "")
        + ("\n" + request.notes if request.notes else ""),
    )
    request.status = TrainingRequest.Status.ACCEPTED
    request.decided_by = acting_user
    request.decided_at = timezone.now()
    request.session = session
    request.save()
    _notify_requester(request)
    return request


@transaction.atomic
def decline_training_request(*, training_request, reason, acting_user):
    request = TrainingRequest.objects.select_for_update().get(pk=training_request.pk)
    if request.status != TrainingRequest.Status.SUBMITTED:
        raise ValidationError(_("This request has already been decided."))
    if not reason.strip():
        raise ValidationError(_("Give the requester a reason for declining."))
    request.status = TrainingRequest.Status.DECLINED
    request.decline_reason = reason.strip()
    request.decided_by = acting_user
    request.decided_at = timezone.now()
    request.save()
    _notify_requester(request)
    return request


# --- Calendar feed tokens ------------------------------------------------------------------


def feed_token_for(*, user):
    token, _created = CalendarFeedToken.objects.get_or_create(user=user)
    return token


@transaction.atomic
def regenerate_feed_token(*, user, acting_user):
    """Replace the secret in the user's personal feed URL: the old URL stops working at once."""
    from .models import new_feed_token

    token, created = CalendarFeedToken.objects.select_for_update().get_or_create(user=user)
    if not created:
        token.token = new_feed_token()
        token.created_at = timezone.now()
        token.save()
    return token


# --- Registration --------------------------------------------------------------------------


class RegistrationRefused(Exception):
    """A registration or cancellation the rules do not allow. `message` is for the officer
    (translated), `code` for code and tests."""

    def __init__(self, message, code):
        super().__init__(message)
        self.message = message
        self.code = code


# Statuses that hold a place (or a place in line): registering again is a duplicate.
ACTIVE_REGISTRATION = (
    Registration.Status.CONFIRMED,
    Registration.Status.WAITLISTED,
    Registration.Status.PENDING,
)


def _first_day_started(session, now):
    first = min((day.starts_at for day in session.days.all()), default=None)
    return first is not None and first <= now


def _is_eligible(session, officer, profile):
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
    return True


def registration_refusal(*, session, officer, now=None):
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
        _first_day_started(session, now)
    ):
        return RegistrationRefused(_("Registration for this session has closed."), "closed")
    profile = getattr(officer, "officer_profile", None)
    if profile is None:
        return RegistrationRefused(
            _("Only officers can register. Complete your officer profile first."), "not_officer"
        )
    if profile.verification != profile.Verification.VERIFIED:
        return RegistrationRefused(
            _(
                "Your account is not verified yet. You can register once the programme has "
                "verified that you work for %(agency)s."
            )
            % {"agency": profile.agency or _("your agency")},
            "not_verified",
        )
    if not _is_eligible(session, officer, profile):
        if session.eligibility == TrainingSession.Eligibility.INVITATION:
            return RegistrationRefused(
                _("This session is by invitation only, and you have not been invited."),
                "not_invited",
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


def _notify_registration(registration, kind):
    from .tasks import send_registration_email

    transaction.on_commit(
        lambda: send_registration_email.enqueue(registration_id=registration.pk, kind=kind)
    )


def _promote_waitlisted(session, now):
    """Fill free seats from the waitlist, first come first served. The caller holds the
    session's row lock, so no other writer counts the same seats."""
    if session.status != Status.SCHEDULED:
        return []
    confirmed = Registration.objects.filter(
        session=session, status=Registration.Status.CONFIRMED
    ).count()
    free = session.capacity - confirmed
    if free <= 0:
        return []
    promoted = list(
        Registration.objects.filter(
            session=session, status=Registration.Status.WAITLISTED
        ).order_by("created_at", "pk")[:free]
    )
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.status_changed_at = now
        registration.save(update_fields=["status", "status_changed_at"])
        _notify_registration(registration, "promoted")
    return promoted


@transaction.atomic
def register(*, session, officer, acting_user):
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
        confirmed = Registration.objects.filter(
            session=session, status=Registration.Status.CONFIRMED
        ).count()
        status = (
            Registration.Status.CONFIRMED
            if confirmed < session.capacity
            else Registration.Status.WAITLISTED
        )
    # A cancelled registration keeps its row (one per officer and session): reuse it, joining
    # the end of the line as if new.
    registration, _created = Registration.objects.update_or_create(
        session=session,
        officer=officer,
        defaults={"status": status, "created_at": now, "status_changed_at": now},
    )
    _notify_registration(registration, status)
    return registration


def can_cancel(*, registration, user, now=None):
    """Officers cancel their own until the first day starts; the session's staff anytime."""
    from . import permissions

    if registration.status not in ACTIVE_REGISTRATION:
        return False
    if permissions.can_manage_session(user, registration.session):
        return True
    now = now or timezone.now()
    return registration.officer_id == user.pk and not _first_day_started(registration.session, now)


@transaction.atomic
def cancel_registration(*, registration, acting_user):
    """Cancel a registration; a freed confirmed seat goes to the first in line in the same
    transaction. Raises RegistrationRefused when the rules say no."""
    from . import permissions

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
        if _first_day_started(session, now):
            raise RegistrationRefused(
                _("The session has started: ask its trainers to cancel your registration."),
                "started",
            )
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.status_changed_at = now
    registration.save(update_fields=["status", "status_changed_at"])
    _notify_registration(registration, "cancelled")
    if was_confirmed:
        _promote_waitlisted(session, now)
    return registration


@transaction.atomic
def fill_free_seats(*, session, acting_user):
    """Promote waitlisted officers into seats freed by a raised capacity (admin save)."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    return _promote_waitlisted(session, timezone.now())


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


def _decision_changes(registration, before):
    """{field: (before, after)} of a decision, ready for an audit entry."""
    return {
        field: (before[field], getattr(registration, field))
        for field in before
        if before[field] != getattr(registration, field)
    }


def _audit_decision(registration, acting_user, action, before):
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


def _lock_pending(session, registration_ids):
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


def _lock_session_for_decision(session, acting_user):
    from . import permissions

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
def approve_registrations(*, session, registration_ids, acting_user):
    """Approve pending registrations of one session: a seat for each while seats are left,
    the waitlist (in the order they asked) for the rest. All or nothing: one registration that
    is no longer pending refuses the lot (DecisionRefused) and writes nothing. The session row
    is locked as in register(), so concurrent approvals and registrations never over-book."""
    session = _lock_session_for_decision(session, acting_user)
    registrations = _lock_pending(session, registration_ids)
    now = timezone.now()
    confirmed = Registration.objects.filter(
        session=session, status=Registration.Status.CONFIRMED
    ).count()
    for registration in registrations:
        before = {field: getattr(registration, field) for field in DECISION_FIELDS}
        if confirmed < session.capacity:
            registration.status = Registration.Status.CONFIRMED
            confirmed += 1
        else:
            registration.status = Registration.Status.WAITLISTED
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


def approve_registration(*, registration, acting_user):
    """Approve one pending registration (see approve_registrations for the rules)."""
    (approved,) = approve_registrations(
        session=TrainingSession(pk=registration.session_id),
        registration_ids=[registration.pk],
        acting_user=acting_user,
    )
    return approved


@transaction.atomic
def reject_registrations(*, session, registration_ids, acting_user, reason):
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


def reject_registration(*, registration, acting_user, reason):
    """Reject one pending registration with a reason (see reject_registrations)."""
    (rejected,) = reject_registrations(
        session=TrainingSession(pk=registration.session_id),
        registration_ids=[registration.pk],
        acting_user=acting_user,
        reason=reason,
    )
    return rejected


# --- Attendance ----------------------------------------------------------------------------


@transaction.atomic
@transaction.atomic
def record_attendance(*, registration, day, status, method, acting_user):
    """Say whether a confirmed registrant was there on one day of their session (one row per
    registration and day: recording again replaces the status, who and when).

    Audited: "recorded" the first time, "changed" when the status or method differs from what
    was stored; recording the same again (a re-imported sheet) leaves no new entry.
    """
    from .models import Attendance

    if day.session_id != registration.session_id:
        raise ValidationError(_("That day belongs to another session."))
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(_("Only confirmed registrants have attendance."))
    if status not in Attendance.Status.values:
        raise ValidationError(_("Unknown attendance status."))
    previous = (
        Attendance.objects.select_for_update()
        .filter(registration=registration, day=day)
        .values("status", "method")
        .first()
    )
    attendance, _created = Attendance.objects.update_or_create(
        registration=registration,
        day=day,
        defaults={
            "status": status,
            "method": method,
            "recorded_by": acting_user,
            "recorded_at": timezone.now(),
        },
    )
    after = {"day": day.date.isoformat(), "status": status, "method": method}
    if previous is None or previous != {"status": status, "method": method}:
        record(
            actor=acting_user,
            action=(
                AuditEntry.Action.ATTENDANCE_RECORDED
                if previous is None
                else AuditEntry.Action.ATTENDANCE_CHANGED
            ),
            target=attendance,
            subject=registration.officer,
            before=None if previous is None else {"day": after["day"], **previous},
            after=after,
        )
    return attendance


def record_export(*, session, table, fmt, row_count, acting_user, request=None):
    """Audit a roster or attendance-sheet export: it carries officers' names and e-mails."""
    return record(
        actor=acting_user,
        action=AuditEntry.Action.PERSONAL_DATA_EXPORTED,
        target=session,
        after={"export": table, "format": fmt, "rows": row_count},
        summary=_("%(table)s of %(session)s as %(format)s")
        % {"table": table, "session": session.reference, "format": fmt.upper()},
        request=request,
    )


def _normalise_email(email):
    from django.contrib.auth import get_user_model
    from django.core.validators import validate_email

    email = get_user_model().objects.normalize_email((email or "").strip())
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_("Enter the person's e-mail address.")) from None
    return email


def _check_name(name):
    # The user model's limit, and no control characters (PostgreSQL refuses NUL outright).
    if len(name) > 150 or any(ord(char) < 32 for char in name):
        raise ValidationError(_("Enter a name of at most 150 ordinary characters."))
    return name


def _person_for_email(email, *, first_name="", last_name="", agency=None):
    """The user with this e-mail, or a new pending officer without a password (they set one
    through "forgot password"; a lead verifies them as usual). `agency` goes on a new person's
    profile only: an existing person's agency is theirs and the leads' to change."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from accounts import roles
    from attendees.models import OfficerProfile

    User = get_user_model()
    person = User.objects.filter(email__iexact=email).first()
    if person is None:
        person = User.objects.create_user(
            email=email, password=None, first_name=first_name, last_name=last_name
        )
        person.groups.add(Group.objects.get(name=roles.OFFICER))
        OfficerProfile.objects.create(user=person, agency=agency)
    return person


@transaction.atomic
def add_walk_in(*, session, email, acting_user, first_name="", last_name=""):
    """Register someone who turned up without registering: found by e-mail, or created as a
    pending officer without a password (they set one through "forgot password" and a lead
    verifies them as usual). Walk-ins are confirmed even past capacity and marked walk_in."""
    email = _normalise_email(email)
    first_name, last_name = _check_name(first_name), _check_name(last_name)
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    person = _person_for_email(email, first_name=first_name, last_name=last_name)
    now = timezone.now()
    registration = Registration.objects.filter(session=session, officer=person).first()
    if registration and registration.status == Registration.Status.CONFIRMED:
        return registration
    registration, _created = Registration.objects.update_or_create(
        session=session,
        officer=person,
        defaults={
            "status": Registration.Status.CONFIRMED,
            "walk_in": True,
            "status_changed_at": now,
        },
        create_defaults={
            "status": Registration.Status.CONFIRMED,
            "walk_in": True,
            "created_at": now,
            "status_changed_at": now,
        },
    )
    return registration


# --- Reminders -----------------------------------------------------------------------------


@transaction.atomic
def queue_session_reminders(*, within_hours, acting_user=None, now=None):
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


# --- Headcounts ----------------------------------------------------------------------------


@transaction.atomic
def set_headcount(*, session, count, acting_user, agency=None, jurisdiction=None):
    """Say how many people came from one agency or one jurisdiction (exactly one of them).
    Setting it again replaces the number; zero removes the line."""
    from .models import Headcount

    if (agency is None) == (jurisdiction is None):
        raise ValidationError(_("Choose an agency or a jurisdiction, not both."))
    if count < 0:
        raise ValidationError(_("The number of people cannot be negative."))
    lookup = {"agency": agency} if agency is not None else {"jurisdiction": jurisdiction}
    if count == 0:
        Headcount.objects.filter(session=session, **lookup).delete()
        return None
    headcount, _created = Headcount.objects.update_or_create(
        session=session, **lookup, defaults={"count": count}
    )
    return headcount
