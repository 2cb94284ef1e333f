"""Reads about registrations that several views share: seats, an officer's registration,
the roster."""

from datetime import datetime
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ..models import Registration, TrainingSession


def with_seats_left(queryset: QuerySet[TrainingSession]) -> QuerySet[TrainingSession]:
    """Annotate sessions with `confirmed_count`; `seats_left` reads it without a query."""
    from .rules import with_confirmed_count

    return with_confirmed_count(queryset)


def registration_of(user: Any, session: TrainingSession) -> Registration | None:
    """The user's registration for the session (any status), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Registration.objects.filter(officer=user, session=session).first()


def registration_for(user: Any, pk: int | str) -> Registration:
    """A registration the user may act on: their own, or one on a session they manage.
    Anything else raises Registration.DoesNotExist (the view answers 404)."""
    from .. import permissions

    registration = Registration.objects.select_related("session", "officer").get(pk=pk)
    if registration.officer_id == user.pk or permissions.can_manage_session(
        user, registration.session
    ):
        return registration
    raise Registration.DoesNotExist


def roster(session: TrainingSession) -> dict[str, Any]:
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


def _by_country(confirmed: QuerySet[Registration]) -> list[dict[str, Any]]:
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
    countries: dict[str | None, dict[str, Any]] = {}
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


def cancellation_deadline(session: TrainingSession) -> datetime | None:
    """Until when an officer may cancel their own registration: the start of the first day
    (registration/rules.py refuses after it). None for a session without days."""
    return min((day.starts_at for day in session.days.all()), default=None)


def with_waitlist_position(
    registrations: QuerySet[Registration],
) -> QuerySet[Registration]:
    """Waitlisted registrations annotated with `position` (as waitlist_position), in the one
    query that reads them, however many they are."""
    ahead = (
        Registration.objects.filter(
            session_id=OuterRef("session_id"), status=Registration.Status.WAITLISTED
        )
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("session_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return registrations.annotate(position=Coalesce(Subquery(ahead), 0) + 1)


def waitlist_position(registration: Registration) -> int:
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
