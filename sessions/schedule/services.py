"""Writes with consequences for the schedule: status changes, trainer clashes, copies,
training requests and calendar feed tokens. Each is one function with keyword-only arguments,
run in a transaction; side effects (e-mail) run after commit through the tasks framework.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.zones import zone_for
from audit.models import AuditEntry
from audit.services import record
from muster import dates
from pagecache import versions as pagecache_versions

from .. import signals
from ..models import (
    CalendarFeedToken,
    SessionDay,
    TrainingRequest,
    TrainingSession,
)
from ..registration.services import fill_free_seats

Status = TrainingSession.Status


# Which status may follow which. Delivered and cancelled are final.
TRANSITIONS: dict[str, set[str]] = {
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

    def instants(self, zone: datetime.tzinfo) -> tuple[datetime.datetime, datetime.datetime]:
        return (
            datetime.datetime.combine(self.date, self.start_time, tzinfo=zone),
            datetime.datetime.combine(self.date, self.end_time, tzinfo=zone),
        )


def find_trainer_clashes(
    *,
    session: TrainingSession | None,
    days: Sequence[PlannedDay],
    trainer_ids: Iterable[int],
    time_zone: str,
) -> list[str]:
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
    messages: list[str] = []
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
def check_trainer_clashes(*, session: TrainingSession) -> None:
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


def bump_sequence(*, session: TrainingSession) -> None:
    """Tell calendar programs the session changed (iCalendar SEQUENCE)."""
    # DTSTAMP in the feeds reads updated_at, which update() would not touch by itself.
    TrainingSession.objects.filter(pk=session.pk).update(
        sequence=F("sequence") + 1, updated_at=timezone.now()
    )
    session.refresh_from_db(fields=["sequence", "updated_at"])
    # update() sends no signal: the feeds show SEQUENCE and DTSTAMP.
    pagecache_versions.bump()


def transition_error(*, session: TrainingSession, status: str, reason: str = "") -> str | None:
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


def _notify_session_cancelled(session: TrainingSession) -> None:
    """After commit, e-mail everyone who held or awaited a place (confirmed, waitlisted,
    pending) that the session is cancelled, with the calendar cancellation (sessions.tasks)."""
    from ..models import Registration
    from ..tasks import send_registration_email

    registration_ids = list(
        Registration.objects.filter(
            session=session,
            status__in=[
                Registration.Status.CONFIRMED,
                Registration.Status.WAITLISTED,
                Registration.Status.PENDING,
            ],
        ).values_list("pk", flat=True)
    )

    def enqueue() -> None:
        for registration_id in registration_ids:
            send_registration_email.enqueue(
                registration_id=registration_id, kind="session_cancelled"
            )

    transaction.on_commit(enqueue)


@transaction.atomic
def change_status(
    *, session: TrainingSession, status: str, acting_user: Any, reason: str = ""
) -> TrainingSession:
    """Move a session to `status`: draft → scheduled → delivered; draft or scheduled →
    cancelled with a reason. Anything else raises ValidationError and writes nothing."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    error = transition_error(session=session, status=status, reason=reason)
    if error:
        raise ValidationError(error)
    if status == Status.SCHEDULED:
        check_trainer_clashes(session=session)
    before = {"status": session.status}
    session.status = status
    if status == Status.CANCELLED:
        session.cancellation_reason = reason.strip()
    session.sequence = F("sequence") + 1
    session.save(update_fields=["status", "cancellation_reason", "sequence", "updated_at"])
    session.refresh_from_db()
    record(
        actor=acting_user,
        action=AuditEntry.Action.SESSION_STATUS_CHANGED,
        target=session,
        before=before,
        after={"status": status, "reason": session.cancellation_reason},
    )
    if status == Status.CANCELLED:
        _notify_session_cancelled(session)
    if status == Status.DELIVERED:
        transaction.on_commit(
            lambda: signals.session_delivered.send(
                sender=TrainingSession, session=session, acting_user=acting_user
            )
        )
    return session


@transaction.atomic
def record_admin_save(
    *, session: TrainingSession, acting_user: Any, created: bool
) -> TrainingSession:
    """After the admin saved a session and its days: derive the UTC instants and first/last
    dates, make a trainer who created a session its trainer, refuse trainer clashes (the
    transaction rolls back) and bump the calendar SEQUENCE."""
    from .. import permissions

    if created and not permissions.sees_all_sessions(acting_user):
        session.trainers.add(acting_user)
    session.refresh_schedule()
    check_trainer_clashes(session=session)
    if not created:
        bump_sequence(session=session)
        # A raised capacity seats the first in line at once.
        fill_free_seats(session=session, acting_user=acting_user)
    return session


def next_reference(*, year: int, country: str) -> str:
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
def schedule_again(
    *,
    session: TrainingSession,
    first_date: datetime.date,
    acting_user: Any,
    reference: str = "",
) -> TrainingSession:
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
def submit_training_request(*, requester: Any, acting_user: Any, **fields: Any) -> TrainingRequest:
    from .. import permissions

    if not permissions.can_request_training(requester):
        raise ValidationError(_("Only verified officers can request a training."))
    request = TrainingRequest(
        requester=requester, agency=requester.officer_profile.agency, **fields
    )
    request.full_clean()
    request.save()
    record(
        actor=acting_user,
        action=AuditEntry.Action.TRAINING_REQUEST_SUBMITTED,
        target=request,
        subject=requester,
        after={"agency": str(request.agency), "subject": request.subject},
    )
    return request


def _notify_requester(request: TrainingRequest) -> None:
    from ..tasks import send_training_request_decision

    transaction.on_commit(
        lambda: send_training_request_decision.enqueue(training_request_id=request.pk)
    )


@transaction.atomic
def accept_training_request(
    *, training_request: TrainingRequest, acting_user: Any
) -> TrainingRequest:
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
    # What the requester asked for travels with the draft: their dates and their time zone.
    wanted = []
    if request.preferred_start or request.preferred_end:
        wanted.append(
            _("Preferred dates: %(start)s to %(end)s.")
            % {
                "start": dates.format_date(request.preferred_start, "long")
                if request.preferred_start
                else "…",
                "end": dates.format_date(request.preferred_end, "long")
                if request.preferred_end
                else "…",
            }
        )
    if request.preferred_dates:
        wanted.append(request.preferred_dates)
    if request.notes:
        wanted.append(request.notes)
    session = TrainingSession.objects.create(
        reference=next_reference(year=first.year, country=country),
        course=request.course,
        delivery=request.delivery,
        status=Status.DRAFT,
        city=request.city,
        country=country,
        capacity=max(request.expected_participants, 1),
        host_agency=agency,
        time_zone=zone_for(request.requester) or "UTC",
        notes="\n".join(
            [
                _("Created from the training request of %(requester)s (%(agency)s).")
                % {"requester": request.requester, "agency": agency},
                *wanted,
            ]
        ),
    )
    request.status = TrainingRequest.Status.ACCEPTED
    request.decided_by = acting_user
    request.decided_at = timezone.now()
    request.session = session
    request.save()
    record(
        actor=acting_user,
        action=AuditEntry.Action.TRAINING_REQUEST_ACCEPTED,
        target=request,
        subject=request.requester,
        before={"status": TrainingRequest.Status.SUBMITTED},
        after={"status": request.status, "session": session.reference},
    )
    _notify_requester(request)
    return request


@transaction.atomic
def decline_training_request(
    *, training_request: TrainingRequest, reason: str, acting_user: Any
) -> TrainingRequest:
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
    record(
        actor=acting_user,
        action=AuditEntry.Action.TRAINING_REQUEST_DECLINED,
        target=request,
        subject=request.requester,
        before={"status": TrainingRequest.Status.SUBMITTED},
        after={"status": request.status, "reason": request.decline_reason},
    )
    _notify_requester(request)
    return request


# --- Calendar feed tokens ------------------------------------------------------------------


def feed_token_for(*, user: Any) -> CalendarFeedToken:
    token, _created = CalendarFeedToken.objects.get_or_create(user=user)
    return token


@transaction.atomic
def regenerate_feed_token(*, user: Any, acting_user: Any) -> CalendarFeedToken:
    """Replace the secret in the user's personal feed URL: the old URL stops working at once."""
    from ..models import new_feed_token

    token, created = CalendarFeedToken.objects.select_for_update().get_or_create(user=user)
    if not created:
        token.token = new_feed_token()
        token.created_at = timezone.now()
        token.save()
    return token
