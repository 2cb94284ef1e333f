"""Reads about a session's schedule."""

from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from ..models import Registration, SessionDay, TrainingSession
from ..registration.selectors import with_seats_left


def training_hours(minutes: int | None) -> float:
    """Training hours from scheduled minutes (a session's `scheduled_minutes`, or a sum of
    them), to two decimals. The one conversion: the yearly report, its breakdowns and the
    certificates all print hours through here, from minutes measured in UTC (so a day on which
    the clocks change counts its real length)."""
    return round(minutes / 60, 2) if minutes else 0


def session_hours(session: TrainingSession) -> float:
    """A session's training hours (its days' scheduled length, kept by refresh_schedule())."""
    return training_hours(session.scheduled_minutes)


def session_for_public(reference: str) -> TrainingSession:
    return (
        TrainingSession.objects.published()
        .select_related("course", "host_agency")
        .prefetch_related("days", "trainers")
        .get(reference=reference)
    )


def upcoming_for_public(
    *,
    course: int | str | None = None,
    country: str | None = None,
    delivery: str | None = None,
    language: str | None = None,
    month: tuple[int, int] | None = None,
) -> QuerySet[TrainingSession]:
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


def for_calendar(queryset: QuerySet[TrainingSession]) -> QuerySet[TrainingSession]:
    return queryset.select_related("course").prefetch_related(
        Prefetch("days", queryset=SessionDay.objects.order_by("date"))
    )


def programme_feed_sessions(today: date | None = None) -> QuerySet[TrainingSession]:
    """The public programme feed: every scheduled session, and cancelled ones not yet past
    (so subscribers see the cancellation)."""
    today = today or timezone.localdate()
    return for_calendar(
        TrainingSession.objects.filter(
            Q(status=TrainingSession.Status.SCHEDULED)
            | Q(status=TrainingSession.Status.CANCELLED, end_date__gte=today)
        ).order_by("start_date", "reference")
    )


PROGRAMME_FEED_FIELDS = (
    "id",
    "reference",
    "status",
    "sequence",
    "updated_at",
    "time_zone",
    "delivery",
    "venue",
    "city",
    "country",
    "cancellation_reason",
    "course__title",
    "course__summary",
)


def programme_feed_rows(today: date | None = None) -> tuple[list[dict[str, Any]], dict[int, list]]:
    """programme_feed_sessions() as plain rows for calendar.build_feed, in two queries: the
    sessions with their course, and every day of them, (id, date, starts_at, ends_at) by date."""
    sessions = programme_feed_sessions(today).prefetch_related(None).select_related(None)
    rows = list(sessions.values(*PROGRAMME_FEED_FIELDS))
    days_of: dict[int, list] = {}
    for session_id, *day in (
        SessionDay.objects.filter(session__in=sessions.values("pk"))
        .order_by("session_id", "date")
        .values_list("session_id", "id", "date", "starts_at", "ends_at")
    ):
        days_of.setdefault(session_id, []).append(day)
    return rows, days_of


def personal_feed_sessions(user: Any) -> QuerySet[TrainingSession]:
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


def course_choices_for_upcoming() -> list[tuple[int, str]]:
    """(id, title) of live courses with an upcoming session, for the public list's filter."""
    from courses.models import CoursePage

    ids = TrainingSession.objects.upcoming().values("course_id")
    return list(
        CoursePage.objects.live().filter(pk__in=ids).order_by("title").values_list("pk", "title")
    )


def trainer_upcoming_sessions(user: Any, *, today: date | None = None) -> QuerySet[Any]:
    """The trainer's workspace ("My sessions", their dashboard): the sessions they train that
    have not ended, soonest first, with seats taken, pending approvals and waitlist counted in
    the same query; cancelled sessions are left out, drafts kept (they are still being set up)."""
    today = today or timezone.localdate()
    Status = Registration.Status

    def counted(status: str) -> Count:
        return Count("registrations", filter=Q(registrations__status=status), distinct=True)

    # Seats taken as the registration rules count them (with_confirmed_count).
    return (
        with_seats_left(
            TrainingSession.objects.filter(trainers=user, end_date__gte=today)
            .exclude(status=TrainingSession.Status.CANCELLED)
            .select_related("course")
            .prefetch_related("days")
        )
        .annotate(
            pending_count=counted(Status.PENDING),
            waitlisted_count=counted(Status.WAITLISTED),
        )
        .order_by("start_date", "reference")
    )
