"""Demo agency coordinators: one for the Hong Kong Police Force and one for the Royal Thai
Police, granted by the demo lead, each with nominations on two upcoming sessions taken by
nomination (one with three seats per agency): accepted, pending (the demo officers of both
agencies find theirs on My training) and lapsed. Everything goes through the services, so the
audit log and the outbox read as in real use. Called once from builder.build(); deterministic.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts import roles
from attendees.models import Agency, OfficerProfile
from coordinators import services
from coordinators.models import Nomination
from sessions.models import TrainingSession

from . import data

User = get_user_model()


def _coordinator(demo, email, password, first, last, acronym, rank, language):
    from demo.builder import mark_email_verified

    user = User.objects.create_user(
        email=email,
        password=password,
        first_name=first,
        last_name=last,
        preferred_language=language,
    )
    user.groups.add(Group.objects.get(name=roles.OFFICER))
    OfficerProfile.objects.create(
        user=user,
        agency=Agency.objects.get(acronym=acronym),
        rank=rank,
        verification=OfficerProfile.Verification.VERIFIED,
        verified_at=demo.now,
    )
    mark_email_verified([user])
    return user


def _officers_of(agency, exclude):
    return list(
        User.objects.filter(
            officer_profile__verification=OfficerProfile.Verification.VERIFIED,
            officer_profile__agency__in=[agency, *agency.units.all()],
            is_active=True,
        )
        .exclude(email__in=exclude)
        .order_by("email")
    )


def build_coordinators(demo):
    lead = User.objects.get(email=next(e for r, e, *_ in data.LOGINS if r == "Programme lead"))
    # Nominations are refused on sessions that started by the real clock, whatever demo.now.
    today = max(demo.now.date(), timezone.localdate())
    sessions = list(
        TrainingSession.objects.filter(
            status=TrainingSession.Status.SCHEDULED,
            start_date__gt=today + datetime.timedelta(days=10),
            eligibility=TrainingSession.Eligibility.ALL_VERIFIED,
            registrations__isnull=True,
        ).order_by("start_date", "reference")[:2]
    )
    if len(sessions) < 2:
        return
    for index, session in enumerate(sessions):
        session.eligibility = TrainingSession.Eligibility.NOMINATION
        session.seats_per_agency = 3 if index == 0 else None
        session.registration_closes = None
        session.save(update_fields=["eligibility", "seats_per_agency", "registration_closes"])
    demo_officers = {
        "HKPF": "officer@hkpf.example",
        "RTP": "officer@police-th.example",
    }
    for row in data.COORDINATOR_LOGINS:
        coordinator = _coordinator(demo, *row)
        agency = Agency.objects.get(acronym=row[4])
        services.grant_coordinator(user=coordinator, agency=agency, acting_user=lead)
        others = _officers_of(agency, exclude=[coordinator.email, demo_officers[row[4]]])
        accepted, lapsing = others[:2], others[2:3]
        for session in sessions:
            for officer in accepted:
                nomination = services.nominate(
                    session=session, officer=officer, acting_user=coordinator
                )
                services.accept_nomination(nomination=nomination, acting_user=officer)
            for officer in lapsing:
                services.nominate(session=session, officer=officer, acting_user=coordinator)
        # The agency's demo officer is waiting to answer on the first session.
        services.nominate(
            session=sessions[0],
            officer=User.objects.get(email=demo_officers[row[4]]),
            acting_user=coordinator,
        )
    # Nominations left unanswered for ten days lapse and give their seats back.
    lapsing_ids = [
        n.pk
        for n in Nomination.objects.filter(status=Nomination.Status.PENDING).exclude(
            officer__email__in=demo_officers.values()
        )
    ]
    Nomination.objects.filter(pk__in=lapsing_ids).update(
        created_at=demo.now - datetime.timedelta(days=10)
    )
    services.lapse_nominations(days=7, now=demo.now)
