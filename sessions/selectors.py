"""Reads about sessions that several views (and other apps, through hooks) share."""

from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone

from courses.session_facts import Participation

from .models import Attendance, Registration, SessionDay, TrainingSession


def course_participation(user, course_ids):
    """{course_id: Participation} for one user over many courses, in three queries at most."""
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


def upcoming_for_public(*, course=None, country=None, delivery=None, language=None, month=None):
    """Scheduled sessions not yet over, soonest first, with seats left and days in a constant
    number of queries. `month` is a (year, month) pair matched against the first day."""
    queryset = TrainingSession.objects.upcoming().filter(course__live=True)
    if course:
        queryset = queryset.filter(course_id=course)
    if country:
        queryset = queryset.filter(country=country)
    if delivery:
        queryset = queryset.filter(delivery=delivery)
    if language:
        queryset = queryset.filter(language=language)
    if month:
        year, number = month
        queryset = queryset.filter(start_date__year=year, start_date__month=number)
    return with_seats_left(
        queryset.select_related("course").prefetch_related(
            Prefetch("days", queryset=SessionDay.objects.order_by("date"))
        )
    )


def for_calendar(queryset):
    return queryset.select_related("course").prefetch_related(
        Prefetch("days", queryset=SessionDay.objects.order_by("date"))
    )


def programme_feed_sessions(today=None):
    """The public programme feed: every scheduled session, and cancelled ones not yet past
    (so subscribers see the cancellation)."""
    today = today or timezone.localdate()
    return for_calendar(
        TrainingSession.objects.filter(
            Q(status=TrainingSession.Status.SCHEDULED)
            | Q(status=TrainingSession.Status.CANCELLED, end_date__gte=today)
        ).order_by("start_date", "reference")
    )


def personal_feed_sessions(user):
    """An officer's confirmed sessions (cancelled ones too, so the cancellation reaches their
    calendar) and every session the person trains."""
    confirmed = Registration.objects.filter(
        officer=user, status=Registration.Status.CONFIRMED
    ).values("session_id")
    trained = TrainingSession.trainers.through.objects.filter(user_id=user.pk).values(
        "trainingsession_id"
    )
    return for_calendar(
        TrainingSession.objects.filter(Q(pk__in=confirmed) | Q(pk__in=trained)).order_by(
            "start_date", "reference"
        )
    )


def is_confirmed_registrant(user, session):
    if not getattr(user, "is_authenticated", False):
        return False
    return Registration.objects.filter(
        officer=user, session=session, status=Registration.Status.CONFIRMED
    ).exists()


def course_choices_for_upcoming():
    """(id, title) of live courses with an upcoming session, for the public list's filter."""
    from courses.models import CoursePage

    ids = TrainingSession.objects.upcoming().values("course_id")
    return list(
        CoursePage.objects.live().filter(pk__in=ids).order_by("title").values_list("pk", "title")
    )


def registration_of(user, session):
    """The user's registration for the session (any status), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Registration.objects.filter(officer=user, session=session).first()


def registration_for(user, pk):
    """A registration the user may act on: their own, or one on a session they manage.
    Anything else raises Registration.DoesNotExist (the view answers 404)."""
    from . import permissions

    registration = Registration.objects.select_related("session", "officer").get(pk=pk)
    if registration.officer_id == user.pk or permissions.can_manage_session(
        user, registration.session
    ):
        return registration
    raise Registration.DoesNotExist


def roster(session):
    """A session's registrations grouped by status (confirmed, waitlisted in line order,
    pending, cancelled, rejected) with the confirmed counted by agency and by jurisdiction.
    Three queries whatever the number of rows."""
    registrations = list(
        Registration.objects.filter(session=session)
        .select_related(
            "officer__officer_profile__agency__jurisdiction",
        )
        .order_by("created_at", "pk")
    )
    groups = [
        (status, label, [r for r in registrations if r.status == status])
        for status, label in Registration.Status.choices
    ]
    confirmed = Registration.objects.filter(session=session, status=Registration.Status.CONFIRMED)
    by_agency = list(
        confirmed.values(agency=F("officer__officer_profile__agency__name"))
        .annotate(count=Count("pk"))
        .order_by("-count", "agency")
    )
    return {
        "groups": groups,
        "by_agency": by_agency,
        "by_jurisdiction": _by_country(confirmed),
    }


def _by_country(confirmed):
    """Confirmed registrants counted by country, one query: an agency in a subdivision
    (ISO 3166-2, e.g. US-CA) counts for its country (its parent, as in the yearly figures) and is
    listed beneath it as a detail. A supranational body is its own line; so is "no agency"
    (jurisdiction None). Rows: {"jurisdiction", "code", "count", "subdivisions": [{...}]},
    largest first."""
    from attendees.models import Jurisdiction

    prefix = "officer__officer_profile__agency__jurisdiction__"
    rows = (
        confirmed.values(
            code=F(prefix + "code"),
            name=F(prefix + "name"),
            kind=F(prefix + "kind"),
            parent_code=F(prefix + "parent__code"),
            parent_name=F(prefix + "parent__name"),
        )
        .annotate(count=Count("pk"))
        .order_by()
    )
    countries = {}
    for row in rows:
        subdivision = row["kind"] == Jurisdiction.Kind.SUBDIVISION and row["parent_code"]
        code, name = (
            (row["parent_code"], row["parent_name"]) if subdivision else (row["code"], row["name"])
        )
        line = countries.setdefault(
            code, {"jurisdiction": name, "code": code, "count": 0, "subdivisions": []}
        )
        line["count"] += row["count"]
        if subdivision:
            line["subdivisions"].append(
                {"jurisdiction": row["name"], "code": row["code"], "count": row["count"]}
            )
    for line in countries.values():
        line["subdivisions"].sort(key=lambda sub: (-sub["count"], sub["jurisdiction"]))
    return sorted(countries.values(), key=lambda line: (-line["count"], line["jurisdiction"] or ""))


def roll_call_rows(session, day):
    """Confirmed registrants of the session (by name) with their attendance on `day` (None
    when not taken yet). Two queries whatever the number of people."""
    registrations = list(
        Registration.objects.filter(session=session, status=Registration.Status.CONFIRMED)
        .select_related("officer__officer_profile__agency")
        .order_by("officer__last_name", "officer__first_name", "officer__email")
    )
    taken = {a.registration_id: a for a in Attendance.objects.filter(day=day)}
    return [(registration, taken.get(registration.pk)) for registration in registrations]


def cancellation_deadline(session):
    """Until when an officer may cancel their own registration: the start of the first day
    (sessions/services.py refuses after it). None for a session without days."""
    return min((day.starts_at for day in session.days.all()), default=None)


def trainer_upcoming_sessions(user, *, today=None):
    """The trainer's workspace ("My sessions", their dashboard): the sessions they train that
    have not ended, soonest first, with seats taken, pending approvals and waitlist counted in
    the same query; cancelled sessions are left out, drafts kept (they are still being set up)."""
    today = today or timezone.localdate()
    Status = Registration.Status

    def counted(status):
        return Count("registrations", filter=Q(registrations__status=status), distinct=True)

    return (
        TrainingSession.objects.filter(trainers=user, end_date__gte=today)
        .exclude(status=TrainingSession.Status.CANCELLED)
        .select_related("course")
        .prefetch_related("days")
        .annotate(
            confirmed_count=counted(Status.CONFIRMED),
            pending_count=counted(Status.PENDING),
            waitlisted_count=counted(Status.WAITLISTED),
        )
        .order_by("start_date", "reference")
    )


def past_session_outcome(user, session):
    """What a finished session's page tells the signed-in officer: how many days they are
    recorded as attending and their certificate, if one was issued (from the certificates app,
    through the "muster_session_certificate" hook, so sessions never imports it)."""
    from wagtail import hooks

    if not getattr(user, "is_authenticated", False):
        return None
    attended_days = Attendance.objects.filter(
        registration__officer=user,
        registration__session=session,
        status__in=Attendance.ATTENDED,
    ).count()
    certificate = None
    for hook in hooks.get_hooks("muster_session_certificate"):
        certificate = hook(session=session, officer=user) or certificate
    return {"attended_days": attended_days, "certificate": certificate}


def waitlist_position(registration):
    """1 for the first in line. The order is the one in which freed seats are given
    (services._promote_waitlisted: created_at, then pk)."""
    ahead = (
        Registration.objects.filter(
            session_id=registration.session_id, status=Registration.Status.WAITLISTED
        )
        .filter(
            Q(created_at__lt=registration.created_at)
            | Q(created_at=registration.created_at, pk__lt=registration.pk)
        )
        .count()
    )
    return ahead + 1
