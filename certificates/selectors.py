"""Reads shared by the certificate views."""

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from sessions.models import TrainingSession

from .models import Certificate


def certificate_by_code(code: str) -> Certificate | None:
    return (
        Certificate.objects.select_related("superseded_by").filter(verification_code=code).first()
    )


def certificate_for_pdf(serial: str) -> Certificate | None:
    return (
        Certificate.objects.select_related("template", "session", "officer")
        .prefetch_related("template__signatories__signature")
        .filter(serial=serial)
        .first()
    )


def certificates_of_officer(officer: User) -> QuerySet[Certificate]:
    """The officer's certificates, newest session first, every version."""
    return (
        Certificate.objects.filter(officer=officer)
        .select_related("session", "superseded_by")
        .order_by("-start_date", "-version")
    )


def certificates_of_session(session: TrainingSession) -> QuerySet[Certificate]:
    return (
        Certificate.objects.filter(session=session)
        .select_related("template", "session", "officer")
        .prefetch_related("template__signatories__signature")
        .order_by("serial")
    )


def delivered_sessions() -> QuerySet[TrainingSession]:
    return (
        TrainingSession.objects.filter(status=TrainingSession.Status.DELIVERED)
        .select_related("course")
        .prefetch_related(Prefetch("trainers"))
        .order_by("-start_date", "reference")
    )
