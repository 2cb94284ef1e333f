"""The one definition of "attended", read by reports, certificates, course materials and
My training (docs/rules.md).

An officer attended a session when their registration is **confirmed** and they were present
or late on at least one of its days. A cancelled or rejected registration never counts, even
if a roll call marked it before it was cancelled; an excused or absent day is not attendance.
The second half is stored as `Registration.participated` (refreshed by
`sessions.attendance.services.refresh_participated`, called by every attendance write) so the
yearly figures read one row per officer and session, never the attendance rows.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from courses.session_facts import Participation

from ..models import Attendance, Registration, SessionDay, TrainingSession

# Day statuses that count as having been there (present or late).
ATTENDED_DAY = Attendance.ATTENDED


def attended_q(prefix: str = "") -> Q:
    """A Q for registrations that attended, reached from another model through `prefix`
    (e.g. "registrations__" from TrainingSession, "" on Registration itself)."""
    return Q(**{f"{prefix}status": Registration.Status.CONFIRMED, f"{prefix}participated": True})


def attended_registrations(
    queryset: QuerySet[Registration] | None = None,
) -> QuerySet[Registration]:
    """The registrations (of `queryset`, default all) whose officer attended their session."""
    queryset = Registration.objects.all() if queryset is None else queryset
    return queryset.filter(attended_q())


def attended_days_q(prefix: str = "") -> Q:
    """A Q for attendance rows that count as a day attended (status present or late)."""
    return Q(**{f"{prefix}status__in": ATTENDED_DAY})


def course_participation(user: Any, course_ids: Iterable[int]) -> dict[int, Participation]:
    """{course_id: Participation} for one user over many courses, in three queries at most."""
    course_ids = list(course_ids)
    if not getattr(user, "is_authenticated", False) or not course_ids:
        return dict.fromkeys(course_ids, Participation())
    registered = set(
        Registration.objects.filter(
            officer=user, status=Registration.Status.CONFIRMED, session__course_id__in=course_ids
        ).values_list("session__course_id", flat=True)
    )
    # "Attended" is the one definition (attendance/selectors.py): a confirmed registration
    # present or late on at least one day.
    attended = set(
        attended_registrations()
        .filter(officer=user, session__course_id__in=course_ids)
        .values_list("session__course_id", flat=True)
    )
    trains = set(
        TrainingSession.objects.filter(trainers=user, course_id__in=course_ids).values_list(
            "course_id", flat=True
        )
    )
    return {
        cid: Participation(
            registered=cid in registered, attended=cid in attended, trains=cid in trains
        )
        for cid in course_ids
    }


def roll_call_rows(
    session: TrainingSession, day: SessionDay
) -> list[tuple[Registration, Attendance | None]]:
    """Confirmed registrants of the session (by name) with their attendance on `day` (None
    when not taken yet). Two queries whatever the number of people."""
    registrations = list(
        Registration.objects.filter(session=session, status=Registration.Status.CONFIRMED)
        .select_related("officer__officer_profile__agency")
        .order_by("officer__last_name", "officer__first_name", "officer__email")
    )
    taken = {a.registration_id: a for a in Attendance.objects.filter(day=day)}
    return [(registration, taken.get(registration.pk)) for registration in registrations]


def past_session_outcome(user: Any, session: TrainingSession) -> dict[str, Any] | None:
    """What a finished session's page tells the signed-in officer: how many days they are
    recorded as attending (of a confirmed registration, as "attended" above) and their
    certificate, if one was issued (from the certificates app, through the
    "muster_session_certificate" hook, so sessions never imports it)."""
    from wagtail import hooks

    if not getattr(user, "is_authenticated", False):
        return None
    attended_days = (
        Attendance.objects.filter(
            registration__officer=user,
            registration__session=session,
            registration__status=Registration.Status.CONFIRMED,
        )
        .filter(attended_days_q())
        .count()
    )
    certificate = None
    for hook in hooks.get_hooks("muster_session_certificate"):
        certificate = hook(session=session, officer=user) or certificate
    return {"attended_days": attended_days, "certificate": certificate}
