"""The sessions app's part of a person's data export and of anonymising them; registered in
wagtail_hooks.py on the "muster_personal_data_sections" and "muster_anonymise_user" hooks
(privacy/services.py collects them: it may not import this app)."""

from .models import Attendance, CalendarFeedToken, Registration, TrainingRequest


def _iso(value):
    return value.isoformat() if value else None


def sections(user):
    registrations = list(
        Registration.objects.filter(officer=user)
        .select_related("session__course")
        .order_by("created_at", "pk")
    )
    attendance = (
        Attendance.objects.filter(registration__officer=user)
        .select_related("day__session")
        .order_by("day__date", "pk")
    )
    requests = TrainingRequest.objects.filter(requester=user).select_related("course")
    token = CalendarFeedToken.objects.filter(user=user).first()
    return {
        "registrations": [
            {
                "session": r.session.reference,
                "course": r.session.course.title if r.session.course_id else "",
                "status": r.status,
                "walk_in": r.walk_in,
                "registered_at": _iso(r.created_at),
                "status_changed_at": _iso(r.status_changed_at),
            }
            for r in registrations
        ],
        "attendance": [
            {
                "session": a.day.session.reference,
                "day": a.day.date.isoformat(),
                "status": a.status,
                "method": a.method,
                "recorded_at": _iso(a.recorded_at),
            }
            for a in attendance
        ],
        "session_invitations": sorted(user.session_invitations.values_list("reference", flat=True)),
        "training_requests": [
            {
                "course": t.course.title if t.course_id else "",
                "topic": t.topic,
                "preferred_dates": t.preferred_dates,
                "preferred_start": _iso(t.preferred_start),
                "preferred_end": _iso(t.preferred_end),
                "expected_participants": t.expected_participants,
                "delivery": t.delivery,
                "city": t.city,
                "notes": t.notes,
                "status": t.status,
                "decline_reason": t.decline_reason,
                "submitted_at": _iso(t.created_at),
            }
            for t in requests.order_by("created_at", "pk")
        ],
        # Whether a personal calendar feed exists, never its secret address.
        "calendar_feed": {
            "exists": token is not None,
            "created_at": _iso(token and token.created_at),
        },
    }


def anonymise(user):
    """The feed's secret address stops working; a request's free text may name people. The
    registrations and attendance stay: the yearly figures count them."""
    CalendarFeedToken.objects.filter(user=user).delete()
    TrainingRequest.objects.filter(requester=user).update(notes="", preferred_dates="", city="")
