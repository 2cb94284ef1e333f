"""Personal data: what Muster holds about a person (as JSON), erasure requests and anonymising.

Muster's apps each hold part of a person's data, and attendees/privacy sit below them, so the
higher apps contribute through two Wagtail hooks (inverted dependencies, DESIGN.md):

- "muster_personal_data_sections": fn(user) -> {section name: JSON-able value}. Each app
  returns only rows that belong to `user` (sessions: registrations, attendance, training
  requests, calendar feed; certificates; courses: material downloads).
- "muster_anonymise_user": fn(user) -> None. Each app blanks what it holds that names the
  person (sessions: feed token and training-request notes; certificates: the printed name),
  and keeps every row the yearly figures count.
"""

import datetime
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from audit.models import AuditEntry
from audit.services import record

from .models import ErasureRequest

ERASED_EMAIL = "erased-{id}@invalid"


# --- Export ----------------------------------------------------------------------------------


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _account(user: Any) -> dict[str, Any]:
    from allauth.account.models import EmailAddress

    account = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "time_zone": user.time_zone,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "is_active": user.is_active,
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
    }
    if apps.is_installed("allauth.mfa"):
        from allauth.mfa.models import Authenticator

        # Which second factors are set up, never their secrets.
        account["second_factors"] = sorted(
            Authenticator.objects.filter(user=user).values_list("type", flat=True)
        )
    return account


def _officer_profile(user: Any) -> dict[str, Any] | None:
    from attendees.models import OfficerProfile

    profile = (
        OfficerProfile.objects.select_related("agency__jurisdiction").filter(user=user).first()
    )
    if profile is None:
        return None
    agency = profile.agency
    return {
        "agency": None
        if agency is None
        else {
            "name": agency.name,
            "acronym": agency.acronym,
            "type": agency.type,
            "jurisdiction": agency.jurisdiction.name,
            "jurisdiction_code": agency.jurisdiction.code,
        },
        "rank": profile.rank,
        "signed_up_at": _iso(profile.created_at),
        # Who decided is a member of staff's data; the officer gets the decision and its date.
        "verification": {
            "state": profile.verification,
            "verified_at": _iso(profile.verified_at),
            "rejected_at": _iso(profile.rejected_at),
            "rejection_reason": profile.rejection_reason,
        },
        "agency_requests": [
            {
                "name": r.name,
                "country": r.country.code,
                "website": r.website,
                "email_domain": r.email_domain,
                "note": r.note,
                "status": r.status,
                "requested_at": _iso(r.created_at),
            }
            for r in profile.agency_requests.select_related("country").order_by("pk")
        ],
    }


def _audit_entries(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "when": _iso(entry.created_at),
            "action": entry.action,
            "object": entry.target_label,
            "before": entry.before,
            "after": entry.after,
        }
        for entry in AuditEntry.objects.filter(subject=user).order_by("created_at", "pk")
    ]


def personal_data(user: Any) -> dict[str, Any]:
    """Everything Muster holds about `user`, as a JSON-able dict (nothing about anyone else)."""
    data: dict[str, Any] = {
        "generated_at": _iso(timezone.now()),
        "account": _account(user),
        "officer_profile": _officer_profile(user),
    }
    for fn in hooks.get_hooks("muster_personal_data_sections"):
        data.update(fn(user) or {})
    data["erasure_requests"] = [
        {"status": r.status, "requested_at": _iso(r.requested_at)}
        for r in ErasureRequest.objects.filter(user=user).order_by("pk")
    ]
    data["audit_entries_about_you"] = _audit_entries(user)
    return data


@transaction.atomic
def export_personal_data(*, user: Any, request: Any = None) -> dict[str, Any]:
    """personal_data(user), audited as an export (the entry is itself in the next export)."""
    record(
        actor=user,
        action=AuditEntry.Action.PERSONAL_DATA_EXPORTED,
        target=user,
        subject=user,
        after={"export": "personal_data"},
        request=request,
    )
    return personal_data(user)


# --- Erasure ----------------------------------------------------------------------------------


class ErasureRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def pending_request(user: Any) -> ErasureRequest | None:
    return ErasureRequest.objects.filter(user=user, status=ErasureRequest.Status.PENDING).first()


def is_erased(user: Any) -> bool:
    return ErasureRequest.objects.filter(user=user, status=ErasureRequest.Status.DONE).exists()


@transaction.atomic
def request_erasure(*, user: Any, acting_user: Any, request: Any = None) -> ErasureRequest:
    """The officer asks for their account to be erased (the view has checked their password).
    A programme lead carries it out (see anonymise_officer)."""
    existing = pending_request(user)
    if existing is not None:
        return existing
    erasure = ErasureRequest.objects.create(user=user)
    record(
        actor=acting_user,
        action=AuditEntry.Action.ERASURE_REQUESTED,
        target=erasure,
        subject=user,
        request=request,
    )
    return erasure


@transaction.atomic
def anonymise_officer(
    *, user: Any, acting_user: Any, origin: str = ErasureRequest.Origin.OFFICER
) -> ErasureRequest:
    """Replace what identifies the person with placeholders and close the account, keeping
    every registration, attendance, certificate and headcount row (with the agency, and thus
    the jurisdiction) so the programme's figures do not change. Irreversible."""
    from allauth.account.models import EmailAddress

    from attendees.models import OfficerProfile

    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)
    if is_erased(user):
        raise ErasureRefused(_("This account has already been anonymised."))
    if user.is_staff or user.is_superuser:
        raise ErasureRefused(_("Staff accounts are not anonymised here: remove their roles first."))
    before = {"email_domain": user.email.rpartition("@")[2]}
    user.email = ERASED_EMAIL.format(id=user.pk)
    user.first_name = ""
    user.last_name = ""
    user.time_zone = ""
    user.is_active = False
    # A new password hash also ends every signed-in session: Django checks the hash on each
    # request (get_session_auth_hash).
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.filter(user=user).delete()
    if apps.is_installed("allauth.mfa"):
        from allauth.mfa.models import Authenticator

        Authenticator.objects.filter(user=user).delete()
    if apps.is_installed("allauth.usersessions"):
        from allauth.usersessions.models import UserSession

        UserSession.objects.filter(user=user).delete()
    profile = OfficerProfile.objects.filter(user=user).first()
    if profile is not None:
        profile.rank = ""
        profile.verification_note = ""
        if profile.rejection_reason:
            profile.rejection_reason = "-"
        profile.save(update_fields=["rank", "verification_note", "rejection_reason"])
        profile.agency_requests.update(note="", website="", email_domain="")
    for fn in hooks.get_hooks("muster_anonymise_user"):
        fn(user)
    now = timezone.now()
    erasure = pending_request(user)
    if erasure is None:
        erasure = ErasureRequest.objects.create(user=user, origin=origin, requested_at=now)
    erasure.status = ErasureRequest.Status.DONE
    erasure.completed_at = now
    erasure.completed_by = acting_user if getattr(acting_user, "pk", None) else None
    erasure.save()
    record(
        actor=acting_user,
        action=AuditEntry.Action.ACCOUNT_ANONYMISED,
        target=erasure,
        subject=user,
        before=before,
        after={"email": user.email, "origin": erasure.origin},
    )
    return erasure


def years_before(moment: datetime.datetime, years: int) -> datetime.datetime:
    """The same instant `years` earlier (28 February for a 29 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def inactive_officers(*, years: int, now: datetime.datetime | None = None) -> Any:
    """Officers (no staff) not yet anonymised whose last sign-in, or sign-up when they never
    signed in, is more than `years` years ago: exactly `years` ago is still kept."""
    cutoff = years_before(now or timezone.now(), years)
    User = get_user_model()
    return (
        User.objects.filter(officer_profile__isnull=False, is_staff=False, is_superuser=False)
        .exclude(erasure_requests__status=ErasureRequest.Status.DONE)
        .annotate(last_seen=Greatest(Coalesce("last_login", "date_joined"), "date_joined"))
        .filter(last_seen__lt=cutoff)
        .order_by("pk")
    )


def anonymise_inactive(
    *, years: int, now: datetime.datetime | None = None, dry_run: bool = False
) -> list[Any]:
    """Anonymise every inactive officer; returns the users (anonymised, or that would be)."""
    users = list(inactive_officers(years=years, now=now))
    if not dry_run:
        for user in users:
            anonymise_officer(user=user, acting_user=None, origin=ErasureRequest.Origin.INACTIVITY)
    return users
