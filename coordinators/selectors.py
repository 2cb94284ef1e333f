"""Reads for coordinators: whom a coordinator covers, and their agency's training record.

The scope is one rule: a coordinator covers the agencies they were granted and those agencies'
units, and only while their own agency is one of them (a coordinator who leaves the agency
covers nothing, even before signals.py removes the row). Everything a coordinator reads goes
through `scope_agency_ids`; anything outside answers 404.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from accounts import roles
from attendees.models import Agency, OfficerProfile
from certificates.models import Certificate
from sessions.attendance.selectors import attended_registrations
from sessions.models import Registration, TrainingSession
from sessions.schedule.selectors import training_hours

from .models import AgencyCoordinator, Nomination

EXPIRING_WITHIN_DAYS = 90


def _family(agency_ids: Iterable[int]) -> set[int]:
    """The agencies and their units."""
    ids = set(agency_ids)
    ids |= set(Agency.objects.filter(parent_id__in=ids).values_list("pk", flat=True))
    return ids


def coordinated_agencies(user: Any) -> QuerySet[Agency]:
    """The agencies `user` was granted and still coordinates (their own agency is one of them
    or a unit of one), as a queryset."""
    if not roles.is_verified_officer(user):
        return Agency.objects.none()
    own = user.officer_profile.agency
    if own is None:
        return Agency.objects.none()
    return Agency.objects.filter(
        pk__in=AgencyCoordinator.objects.filter(user=user).values("agency_id")
    ).filter(Q(pk=own.pk) | Q(pk=own.parent_id))


def scope_agency_ids(user: Any) -> frozenset[int]:
    """Every agency id `user` covers as a coordinator (granted agencies and their units)."""
    cached = getattr(user, "_muster_coordinator_scope", None)
    if cached is None:
        cached = frozenset(_family(coordinated_agencies(user).values_list("pk", flat=True)))
        user._muster_coordinator_scope = cached
    return cached


def is_coordinator(user: Any) -> bool:
    return bool(scope_agency_ids(user))


def officers_in_scope(user: Any) -> QuerySet[OfficerProfile]:
    """Verified and pending officer profiles of the agencies `user` covers."""
    return OfficerProfile.objects.filter(agency_id__in=scope_agency_ids(user)).select_related(
        "user", "agency"
    )


def officer_in_scope_or_404(user: Any, officer_id: int | str) -> OfficerProfile:
    profile = officers_in_scope(user).filter(user_id=officer_id).first()
    if profile is None:
        raise Http404
    return profile


def search_nominees(user: Any, query: str | None, *, limit: int = 20) -> QuerySet[OfficerProfile]:
    """Verified officers `user` may nominate, matching `query` (name or e-mail)."""
    found = officers_in_scope(user).filter(verification=OfficerProfile.Verification.VERIFIED)
    query = (query or "").strip()
    if query:
        found = found.filter(
            Q(user__email__icontains=query)
            | Q(user__first_name__icontains=query)
            | Q(user__last_name__icontains=query)
        )
    return found.filter(user__is_active=True).order_by("user__last_name", "user__email")[:limit]


def nomination_sessions(today: datetime.date | None = None) -> QuerySet[TrainingSession]:
    """Scheduled sessions by nomination that have not started."""
    today = today or timezone.localdate()
    return (
        TrainingSession.objects.filter(
            status=TrainingSession.Status.SCHEDULED,
            eligibility=TrainingSession.Eligibility.NOMINATION,
            start_date__gte=today,
        )
        .select_related("course")
        .order_by("start_date", "reference")
    )


def nominations_in_scope(user: Any) -> QuerySet[Nomination]:
    return Nomination.objects.filter(
        officer__officer_profile__agency_id__in=scope_agency_ids(user)
    ).select_related("session", "session__course", "officer", "nominated_by")


def pending_nominations_for(officer: Any) -> QuerySet[Nomination]:
    """The officer's own nominations awaiting an answer, on sessions still ahead."""
    return (
        Nomination.objects.filter(
            officer=officer,
            status=Nomination.Status.PENDING,
            session__status=TrainingSession.Status.SCHEDULED,
        )
        .select_related("session", "session__course")
        .order_by("session__start_date")
    )


def certificate_state(certificate: Certificate, today: datetime.date) -> str:
    """valid, expiring (within 90 days), expired, superseded or revoked."""
    if certificate.revoked_at:
        return "revoked"
    if certificate.superseded_at:
        return "superseded"
    if certificate.expires_on and certificate.expires_on < today:
        return "expired"
    if certificate.expires_on and certificate.expires_on <= today + datetime.timedelta(
        days=EXPIRING_WITHIN_DAYS
    ):
        return "expiring"
    return "valid"


def agency_record(user: Any, today: datetime.date | None = None) -> list[dict[str, Any]]:
    """The coordinator's page: one row per officer of their agencies, with upcoming
    registrations and pending nominations, sessions attended, training hours (the one home:
    sessions.schedule.selectors.training_hours, over delivered sessions attended) and
    certificates by state. A fixed number of queries, whatever the number of officers."""
    today = today or timezone.localdate()
    profiles = list(officers_in_scope(user).order_by("agency__name", "user__last_name", "pk"))
    ids = [p.user_id for p in profiles]
    upcoming = dict(
        Registration.objects.filter(
            officer_id__in=ids,
            status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED],
            session__status=TrainingSession.Status.SCHEDULED,
            session__end_date__gte=today,
        )
        .values("officer_id")
        .annotate(n=Count("pk"))
        .values_list("officer_id", "n")
    )
    pending = dict(
        Nomination.objects.filter(officer_id__in=ids, status=Nomination.Status.PENDING)
        .values("officer_id")
        .annotate(n=Count("pk"))
        .values_list("officer_id", "n")
    )
    attended: dict[int, Mapping[str, Any]] = {
        row["officer_id"]: row
        for row in attended_registrations(
            Registration.objects.filter(
                officer_id__in=ids, session__status=TrainingSession.Status.DELIVERED
            )
        )
        .values("officer_id")
        .annotate(sessions=Count("pk", distinct=True), minutes=Sum("session__scheduled_minutes"))
    }
    certificates: dict[int, dict[str, int]] = {}
    for certificate in Certificate.objects.filter(officer_id__in=ids).only(
        "officer_id", "revoked_at", "superseded_at", "expires_on"
    ):
        state = certificate_state(certificate, today)
        counts = certificates.setdefault(certificate.officer_id, {})
        counts[state] = counts.get(state, 0) + 1
    rows = []
    for profile in profiles:
        done: Mapping[str, Any] = attended.get(profile.user_id, {})
        certs = certificates.get(profile.user_id, {})
        rows.append(
            {
                "profile": profile,
                "upcoming": upcoming.get(profile.user_id, 0),
                "pending_nominations": pending.get(profile.user_id, 0),
                "sessions_attended": done.get("sessions", 0),
                "hours": training_hours(done.get("minutes") or 0),
                "certificates_valid": certs.get("valid", 0) + certs.get("expiring", 0),
                "certificates_expiring": certs.get("expiring", 0),
                "certificates_revoked": certs.get("revoked", 0),
                "never_trained": not done.get("sessions"),
            }
        )
    return rows


@dataclass(frozen=True)
class RegistrationRow:
    """One of an officer's registrations on their record, and whether they attended it (the one
    "attended" definition: sessions/attendance/selectors.py)."""

    registration: Registration
    attended: bool


def officer_record(profile: OfficerProfile, today: datetime.date | None = None) -> dict[str, Any]:
    """One officer's registrations (with attendance), nominations and certificates."""
    today = today or timezone.localdate()
    registrations = list(
        Registration.objects.filter(officer_id=profile.user_id)
        .select_related("session", "session__course")
        .order_by("-session__start_date")
    )
    attended_ids = set(
        attended_registrations(Registration.objects.filter(officer_id=profile.user_id)).values_list(
            "pk", flat=True
        )
    )
    certificates = list(
        Certificate.objects.filter(officer_id=profile.user_id)
        .select_related("session", "session__course")
        .order_by("-issued_at")
    )
    for certificate in certificates:
        certificate.coordinator_state = certificate_state(certificate, today)
    nominations = list(
        Nomination.objects.filter(officer_id=profile.user_id)
        .select_related("session", "session__course")
        .order_by("-created_at")
    )
    return {
        "registrations": [
            RegistrationRow(registration, registration.pk in attended_ids)
            for registration in registrations
        ],
        "certificates": certificates,
        "nominations": nominations,
    }
