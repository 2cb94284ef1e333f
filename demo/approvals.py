"""Demo registrations awaiting approval: one upcoming session that the demo trainer trains needs
approval, and holds a queue of pending officers, one approved and one rejected with a reason,
so `lead@muster.example` and `trainer@muster.example` find the queue on its roster
(/sessions/<reference>/roster/). Deterministic (demo.rng); adds nothing when run again."""

import datetime

from attendees.models import OfficerProfile
from sessions.models import Registration, TrainingSession

from .data import LOGINS

PENDING = 6


def build_approvals(demo):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    trainer_email = next(email for role, email, *_rest in LOGINS if role == "Trainer")
    if TrainingSession.objects.filter(
        eligibility=TrainingSession.Eligibility.APPROVAL,
        registrations__status=Registration.Status.PENDING,
    ).exists():
        return
    today = demo.now.date()
    upcoming = TrainingSession.objects.filter(
        status=TrainingSession.Status.SCHEDULED, start_date__gt=today
    ).order_by("start_date", "reference")
    # A session nobody registered for yet (the registrations demo fills the first ones), and
    # one the demo trainer trains, so both demo staff logins see its queue.
    session = (
        upcoming.filter(trainers__email=trainer_email, registrations__isnull=True).first()
        or upcoming.filter(registrations__isnull=True).first()
    )
    if session is None:
        return
    session.eligibility = TrainingSession.Eligibility.APPROVAL
    session.save(update_fields=["eligibility"])
    officers = list(
        User.objects.filter(
            officer_profile__verification=OfficerProfile.Verification.VERIFIED
        ).order_by("email")
    )
    people = demo.rng.sample(officers, min(len(officers), PENDING + 2))
    stamp = demo.now - datetime.timedelta(days=3)
    rows = []
    for position, officer in enumerate(people):
        asked = stamp + datetime.timedelta(hours=position * 5)
        row = Registration(
            session=session,
            officer=officer,
            status=Registration.Status.PENDING,
            created_at=asked,
            status_changed_at=asked,
        )
        rows.append(row)
    Registration.objects.bulk_create(rows)
    # The last two are decided through the services, as the trainer would on the roster, so
    # the decisions reach the audit log and the officers' outboxes like real ones.
    from sessions.registration import services as registration_services

    lead_email = next(email for role, email, *_rest in LOGINS if role == "Programme lead")
    trainer = session.trainers.order_by("pk").first() or User.objects.get(email=lead_email)
    approved, rejected = Registration.objects.filter(
        session=session, officer__in=people[-2:]
    ).order_by("created_at")
    registration_services.approve_registration(registration=approved, acting_user=trainer)
    registration_services.reject_registration(
        registration=rejected,
        acting_user=trainer,
        reason="This session is for financial investigators; the March session suits your unit.",
    )
