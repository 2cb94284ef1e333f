"""Reads about sessions that several views (and other apps, through hooks) share."""

from dataclasses import dataclass

from django.db.models import Count, Q

from .models import Attendance, Registration, TrainingSession


@dataclass(frozen=True)
class Participation:
    """What an officer has done on a course: a confirmed place on any of its sessions, and
    presence (present or late) on at least one day of any of them."""

    registered: bool = False
    attended: bool = False


def course_participation(user, course_ids):
    """{course_id: Participation} for one user over many courses, in two queries at most."""
    course_ids = list(course_ids)
    if not getattr(user, "is_authenticated", False) or not course_ids:
        return dict.fromkeys(course_ids, Participation())
    registered = set(
        Registration.objects.filter(
            officer=user, status=Registration.Status.CONFIRMED, session__course_id__in=course_ids
        ).values_list("session__course_id", flat=True)
    )
    attended = set(
        Attendance.objects.filter(
            registration__officer=user,
            status__in=Attendance.ATTENDED,
            registration__session__course_id__in=course_ids,
        ).values_list("registration__session__course_id", flat=True)
    )
    return {
        cid: Participation(registered=cid in registered, attended=cid in attended)
        for cid in course_ids
    }


def with_seats_left(queryset):
    """Annotate sessions with `confirmed_count`; `seats_left` reads it without a query."""
    return queryset.annotate(
        confirmed_count=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)
        )
    )


def session_for_public(reference):
    return (
        TrainingSession.objects.published()
        .select_related("course", "host_agency")
        .prefetch_related("days", "trainers")
        .get(reference=reference)
    )
