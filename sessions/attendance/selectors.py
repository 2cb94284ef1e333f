"""The one definition of "attended", read by reports, certificates, course materials and
My training (docs/attendance.md).

An officer attended a session when their registration is **confirmed** and they were present
or late on at least one of its days. A cancelled or rejected registration never counts, even
if a roll call marked it before it was cancelled; an excused or absent day is not attendance.
The second half is stored as `Registration.participated` (refreshed by
`sessions.attendance.services.refresh_participated`, called by every attendance write) so the
yearly figures read one row per officer and session, never the attendance rows.
"""

from django.db.models import Q

from ..models import Attendance, Registration

# Day statuses that count as having been there (present or late).
ATTENDED_DAY = Attendance.ATTENDED


def attended_q(prefix=""):
    """A Q for registrations that attended, reached from another model through `prefix`
    (e.g. "registrations__" from TrainingSession, "" on Registration itself)."""
    return Q(**{f"{prefix}status": Registration.Status.CONFIRMED, f"{prefix}participated": True})


def attended_registrations(queryset=None):
    """The registrations (of `queryset`, default all) whose officer attended their session."""
    queryset = Registration.objects.all() if queryset is None else queryset
    return queryset.filter(attended_q())


def attended_days_q(prefix=""):
    """A Q for attendance rows that count as a day attended (status present or late)."""
    return Q(**{f"{prefix}status__in": ATTENDED_DAY})
