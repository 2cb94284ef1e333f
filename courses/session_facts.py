"""Facts about training sessions that course pages show, read through Wagtail hooks.

`courses` sits below `sessions` (DESIGN.md): it must never import it. The sessions app
registers the hooks below in its wagtail_hooks.py and answers with the plain data classes
defined here (dependency inversion). Without those hooks, course pages still render: every
course simply has no sessions, no registrants and no attendees.

Hooks (each returns one answer; the first registered function wins):
- "muster_course_participation": fn(user, course_ids) -> {course_id: obj with .registered,
  .attended and .trains}.
- "muster_course_session_facts": fn(course_ids) -> {course_id: CourseSessionFacts}, in a
  constant number of queries however many courses and sessions there are.
- "muster_upcoming_sessions": fn(limit) -> [UpcomingSession], soonest first, for the home page.
- "muster_delivery_formats": fn() -> [(value, label)], the delivery formats sessions can have.
"""

import datetime
from dataclasses import dataclass

from wagtail import hooks


@dataclass(frozen=True)
class Participation:
    """What a person has done on a course: a confirmed place on any of its sessions, presence
    (present or late) on at least one day of any of them, a session of it they train."""

    registered: bool = False
    attended: bool = False
    # Trains a session of the course: the trainer needs the course's handouts to teach it.
    trains: bool = False


@dataclass(frozen=True)
class UpcomingSession:
    reference: str
    url: str
    start_date: datetime.date
    end_date: datetime.date
    delivery: str
    delivery_label: str
    city: str
    country: str
    online: bool
    seats_left: int
    course_id: int | None = None
    course_code: str = ""
    course_title: str = ""
    # Training hours from the session's days (sessions.schedule.selectors.training_hours), the
    # figure its certificates print.
    hours: float = 0

    @property
    def hours_label(self):
        """The hours as the certificate prints them (certificates.pdf.format_hours): 21, 7.5."""
        return f"{float(self.hours):g}"

    @property
    def multi_day(self):
        return self.end_date != self.start_date


@dataclass(frozen=True)
class CourseSessionFacts:
    upcoming: tuple = ()
    # (value, label) pairs of the delivery formats the upcoming sessions offer, in a fixed order.
    deliveries: tuple = ()

    @property
    def next_date(self):
        return self.upcoming[0].start_date if self.upcoming else None

    @property
    def delivery_values(self):
        return {value for value, _label in self.deliveries}


EMPTY_FACTS = CourseSessionFacts()


def _first_hook(name):
    fns = hooks.get_hooks(name)
    return fns[0] if fns else None


def participation(user, course_ids):
    course_ids = list(course_ids)
    fn = _first_hook("muster_course_participation")
    if fn is None or not getattr(user, "is_authenticated", False):
        return dict.fromkeys(course_ids, Participation())
    answer = fn(user, course_ids)
    return {cid: answer.get(cid, Participation()) for cid in course_ids}


def course_facts(course_ids):
    course_ids = list(course_ids)
    fn = _first_hook("muster_course_session_facts")
    if fn is None or not course_ids:
        return dict.fromkeys(course_ids, EMPTY_FACTS)
    answer = fn(course_ids)
    return {cid: answer.get(cid, EMPTY_FACTS) for cid in course_ids}


def upcoming_sessions(limit=5):
    fn = _first_hook("muster_upcoming_sessions")
    return list(fn(limit)) if fn else []


def delivery_formats():
    fn = _first_hook("muster_delivery_formats")
    return list(fn()) if fn else []
