"""Writes about who was there: attendance per registration and day (roll call, QR check-in,
imports), walk-ins, headcounts, roster exports, and the derived `participated` flag. Each
write runs in a transaction and leaves an audit entry.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from attendees.models import Agency, Jurisdiction
from attendees.services import officer_for_email
from audit.models import AuditEntry
from audit.services import record, record_many

from ..models import (
    Attendance,
    Headcount,
    Registration,
    SessionDay,
    TrainingSession,
)


def refresh_participated(registration_ids: Iterable[int | None]) -> int:
    """Recompute `Registration.participated` (present or late on at least one day) for these
    registrations in one UPDATE. Every write of attendance rows calls it in the same
    transaction: record_attendance does, and so must any bulk writer (imports, demo data),
    because the model no longer does it behind their back."""
    ids = {pk for pk in registration_ids if pk is not None}
    if not ids:
        return 0
    return Registration.objects.filter(pk__in=ids).update(
        participated=Exists(
            Attendance.objects.filter(registration=OuterRef("pk"), status__in=Attendance.ATTENDED)
        )
    )


# --- Attendance ----------------------------------------------------------------------------


@transaction.atomic
def record_attendance(
    *,
    registration: Registration,
    day: SessionDay,
    status: str,
    method: str,
    acting_user: Any,
) -> Attendance:
    """Say whether a confirmed registrant was there on one day of their session (one row per
    registration and day: recording again replaces the status, who and when).

    Audited: "recorded" the first time, "changed" when the status or method differs from what
    was stored; recording the same again (a re-imported sheet) leaves no new entry.
    """
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
    # The stored "participated" flag follows the rows, in this transaction (attendance/selectors).
    refresh_participated([registration.pk])
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


def record_export(
    *,
    session: TrainingSession,
    table: str,
    fmt: str,
    row_count: int,
    acting_user: Any,
    request: HttpRequest | None = None,
) -> AuditEntry:
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


def _normalise_email(email: str | None) -> str:
    from django.core.validators import validate_email

    email = get_user_model().objects.normalize_email((email or "").strip())
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_("Enter the person's e-mail address.")) from None
    return email


def _check_name(name: str) -> str:
    # The user model's limit, and no control characters (PostgreSQL refuses NUL outright).
    if len(name) > 150 or any(ord(char) < 32 for char in name):
        raise ValidationError(_("Enter a name of at most 150 ordinary characters."))
    return name


@transaction.atomic
def add_walk_in(
    *,
    session: TrainingSession,
    email: str,
    acting_user: Any,
    first_name: str = "",
    last_name: str = "",
    agency: Agency | None = None,
    day: SessionDay | None = None,
) -> Registration:
    """Register someone who turned up without registering: found by e-mail, or created as a
    pending officer without a password (they set one through "forgot password" and a lead
    verifies them as usual) on `agency`, which someone new must have (an existing person keeps
    the agency on their profile). Walk-ins are confirmed even past capacity and marked walk_in.
    With a `day` (the roll call's), they are marked present for it through record_attendance,
    in this transaction and audited like any roll-call tap."""
    email = _normalise_email(email)
    first_name, last_name = _check_name(first_name), _check_name(last_name)
    if day is not None and day.session_id != session.pk:
        raise ValidationError(_("That day belongs to another session."))
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if agency is None and not get_user_model().objects.filter(email__iexact=email).exists():
        raise ValidationError(_("Choose the agency of someone new to Muster."))
    person = officer_for_email(
        email=email,
        first_name=first_name,
        last_name=last_name,
        agency=agency,
        acting_user=acting_user,
    )
    now = timezone.now()
    registration = Registration.objects.filter(session=session, officer=person).first()
    if registration is None or registration.status != Registration.Status.CONFIRMED:
        previous = registration.status if registration else None
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
        record(
            actor=acting_user,
            action=AuditEntry.Action.WALK_IN_ADDED,
            target=registration,
            subject=person,
            before=None if previous is None else {"status": previous},
            after={"status": registration.status, "walk_in": True},
        )
    # Already in the room's list: the registration stays as it was, but they are here today.
    if day is not None:
        record_attendance(
            registration=registration,
            day=day,
            status=Attendance.Status.PRESENT,
            method=Attendance.Method.ROLL_CALL,
            acting_user=acting_user,
        )
    return registration


@transaction.atomic
def mark_all_present(*, session: TrainingSession, day: SessionDay, acting_user: Any) -> int:
    """Roll call's "Mark all present": every confirmed registrant with no mark yet for `day`
    is marked present (by roll call); marks already taken (absent, late, excused, present)
    are left alone. One INSERT, one audit entry per mark (record_many), and `participated`
    refreshed in this transaction. Returns how many were marked."""
    if day.session_id != session.pk:
        raise ValidationError(_("That day belongs to another session."))
    # Serialises two trainers pressing the button at once.
    TrainingSession.objects.select_for_update().filter(pk=session.pk).first()
    unmarked = list(
        Registration.objects.filter(session=session, status=Registration.Status.CONFIRMED)
        .exclude(attendances__day=day)
        .select_related("officer")
    )
    if not unmarked:
        return 0
    now = timezone.now()
    Attendance.objects.bulk_create(
        [
            Attendance(
                registration=registration,
                day=day,
                status=Attendance.Status.PRESENT,
                method=Attendance.Method.ROLL_CALL,
                recorded_by=acting_user,
                recorded_at=now,
            )
            for registration in unmarked
        ],
        # A tap on the same person a moment before keeps its mark.
        ignore_conflicts=True,
    )
    written = {
        attendance.registration_id: attendance
        for attendance in Attendance.objects.filter(
            day=day,
            registration__in=unmarked,
            recorded_at=now,
            method=Attendance.Method.ROLL_CALL,
            status=Attendance.Status.PRESENT,
        )
    }
    refresh_participated(written)
    after = {
        "day": day.date.isoformat(),
        "status": Attendance.Status.PRESENT.value,
        "method": Attendance.Method.ROLL_CALL.value,
        "all_present": True,
    }
    record_many(
        actor=acting_user,
        action=AuditEntry.Action.ATTENDANCE_RECORDED,
        items=[
            (written[registration.pk], registration.officer, None, after)
            for registration in unmarked
            if registration.pk in written
        ],
    )
    return len(written)


# --- Headcounts ----------------------------------------------------------------------------


@transaction.atomic
def set_headcount(
    *,
    session: TrainingSession,
    count: int,
    acting_user: Any,
    agency: Agency | None = None,
    jurisdiction: Jurisdiction | None = None,
) -> Headcount | None:
    """Say how many people came from one agency or one jurisdiction (exactly one of them).
    Setting it again replaces the number; zero removes the line."""
    if (agency is None) == (jurisdiction is None):
        raise ValidationError(_("Choose an agency or a jurisdiction, not both."))
    if count < 0:
        raise ValidationError(_("The number of people cannot be negative."))
    lookup = {"agency": agency} if agency is not None else {"jurisdiction": jurisdiction}
    previous = (
        Headcount.objects.select_for_update()
        .filter(session=session, **lookup)
        .values_list("count", flat=True)
        .first()
    )
    if previous == count or (previous is None and count == 0):
        # Nothing changes: no write, no entry (a form submitted twice).
        return Headcount.objects.filter(session=session, **lookup).first()
    who = str(agency if agency is not None else jurisdiction)
    record(
        actor=acting_user,
        action=AuditEntry.Action.HEADCOUNT_SET,
        target=session,
        before=None if previous is None else {"from": who, "count": previous},
        after={"from": who, "count": count},
    )
    if count == 0:
        Headcount.objects.filter(session=session, **lookup).delete()
        return None
    headcount, _created = Headcount.objects.update_or_create(
        session=session, **lookup, defaults={"count": count}
    )
    return headcount
