"""Session facts that course pages show, answered for the courses app through Wagtail hooks.

`courses` may not import `sessions` (DESIGN.md); it asks through hooks it documents in
courses/session_facts.py, and sessions/wagtail_hooks.py registers the functions below.
Every function runs a fixed number of queries, however many courses or sessions.
"""

from courses.session_facts import CourseSessionFacts, UpcomingSession

from .models import TrainingSession
from .registration import selectors as registration_selectors
from .schedule.selectors import session_hours


def _plain(session, *, with_course=False):
    return UpcomingSession(
        reference=session.reference,
        url=session.get_absolute_url(),
        start_date=session.start_date,
        end_date=session.end_date,
        delivery=session.delivery,
        delivery_label=str(session.get_delivery_display()),
        city=session.city,
        country=session.country,
        online=session.is_online,
        seats_left=session.seats_left,
        course_id=session.course_id,
        course_code=session.course.code if with_course else "",
        course_title=session.course.title if with_course else "",
        hours=session_hours(session),
    )


def course_session_facts(course_ids):
    """{course_id: CourseSessionFacts} for upcoming scheduled sessions, in one query."""
    sessions = registration_selectors.with_seats_left(
        TrainingSession.objects.upcoming().filter(course_id__in=list(course_ids))
    )
    upcoming = {}
    for session in sessions:
        upcoming.setdefault(session.course_id, []).append(_plain(session))
    order = [value for value, _label in TrainingSession.Delivery.choices]
    labels = dict(TrainingSession.Delivery.choices)
    facts = {}
    for course_id, rows in upcoming.items():
        offered = {row.delivery for row in rows}
        facts[course_id] = CourseSessionFacts(
            upcoming=tuple(rows),
            deliveries=tuple((v, str(labels[v])) for v in order if v in offered),
        )
    return facts


def upcoming_sessions(limit):
    """The next `limit` scheduled sessions of any course, with their course, in one query."""
    sessions = registration_selectors.with_seats_left(
        TrainingSession.objects.upcoming().filter(course__live=True).select_related("course")
    )[:limit]
    return [_plain(session, with_course=True) for session in sessions]


def delivery_formats():
    return [(value, str(label)) for value, label in TrainingSession.Delivery.choices]
