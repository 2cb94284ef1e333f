"""My training: a signed-in person's own sessions, attendance, certificates and materials.

Sections owned by other apps (materials from courses; later certificates) arrive through the
"muster_my_training_sections" hook: fn(request) -> {"id", "order", "title", "html"} or None.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone
from wagtail import hooks

from accounts.zones import zone_for

from . import permissions
from .attendance.selectors import ATTENDED_DAY, attended_registrations
from .models import Attendance, Registration, SessionDay
from .registration.selectors import with_waitlist_position


def _own_registrations(user):
    return Registration.objects.filter(officer=user).select_related("session", "session__course")


@login_required
def my_training(request):
    today = timezone.localdate()
    upcoming = list(
        _own_registrations(request.user)
        .filter(
            status=Registration.Status.CONFIRMED,
            session__status="scheduled",
            session__end_date__gte=today,
        )
        .prefetch_related(Prefetch("session__days", queryset=SessionDay.objects.order_by("date")))
        .order_by("session__start_date", "session__reference")
    )
    # Registrations that needed approval and have no seat: awaiting a decision, or rejected
    # with the reason the officer should read. Only while the session is still ahead.
    requested = list(
        _own_registrations(request.user)
        .filter(
            status__in=[Registration.Status.PENDING, Registration.Status.REJECTED],
            session__status="scheduled",
            session__end_date__gte=today,
        )
        .order_by("session__start_date", "session__reference")
    )
    # Each with its place in line, counted in the same query.
    waitlisted = list(
        with_waitlist_position(
            _own_registrations(request.user).filter(
                status=Registration.Status.WAITLISTED,
                session__status="scheduled",
                session__end_date__gte=today,
            )
        ).order_by("session__start_date", "session__reference")
    )
    # The one "attended" definition (attendance/selectors.py): a confirmed registration present
    # or late on at least one day; a cancelled one never shows here.
    attended = list(
        attended_registrations(_own_registrations(request.user))
        .filter(session__start_date__lte=today)
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("day").order_by("day__date"),
            )
        )
        .order_by("-session__start_date", "session__reference")
    )
    for registration in attended:
        registration.days_attended = [
            a for a in registration.attendances.all() if a.status in ATTENDED_DAY
        ]
    sections = [
        section for fn in hooks.get_hooks("muster_my_training_sections") if (section := fn(request))
    ]
    sections.sort(key=lambda section: section.get("order", 100))
    return render(
        request,
        "training_sessions/my_training.html",
        {
            "upcoming": upcoming,
            "requested": requested,
            "waitlisted": waitlisted,
            "may_request_training": permissions.can_request_training(request.user),
            "attended": attended,
            "sections": sections,
            # Each day also in the officer's own zone when it differs from the session's.
            "user_zone": zone_for(request.user),
        },
    )
