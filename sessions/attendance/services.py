"""Writes about who was there: one row per registration and day, and the derived flag."""

from django.db.models import Exists, OuterRef

from ..models import Attendance, Registration


def refresh_participated(registration_ids):
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
