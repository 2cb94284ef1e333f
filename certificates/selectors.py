"""Reads shared by the certificate views."""

from django.db.models import Prefetch

from sessions.models import TrainingSession

from .models import Certificate


def certificate_by_code(code):
    return (
        Certificate.objects.select_related("superseded_by").filter(verification_code=code).first()
    )


def certificate_for_pdf(serial):
    return (
        Certificate.objects.select_related("template", "session", "officer")
        .prefetch_related("template__signatories__signature")
        .filter(serial=serial)
        .first()
    )


def certificates_of_officer(officer):
    """The officer's certificates, newest session first, every version."""
    return (
        Certificate.objects.filter(officer=officer)
        .select_related("session", "superseded_by")
        .order_by("-start_date", "-version")
    )


def certificates_of_session(session):
    return (
        Certificate.objects.filter(session=session)
        .select_related("template", "session", "officer")
        .prefetch_related("template__signatories__signature")
        .order_by("serial")
    )


def delivered_sessions():
    return (
        TrainingSession.objects.filter(status=TrainingSession.Status.DELIVERED)
        .select_related("course")
        .prefetch_related(Prefetch("trainers"))
        .order_by("-start_date", "reference")
    )
