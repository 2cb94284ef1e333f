"""Demo registrations and attendance: upcoming sessions with confirmed seats (two of them full,
with a waitlist), the demo officer confirmed on the first upcoming session, and attendance for
a few delivered sessions. Deterministic (demo.rng) and bulk-created."""

import datetime

from attendees.models import OfficerProfile
from sessions.attendance.services import refresh_participated
from sessions.models import Attendance, Registration, TrainingSession

DEMO_OFFICER = "officer@hkpf.example"


def build_registrations(demo):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    verified = list(
        User.objects.filter(
            officer_profile__verification=OfficerProfile.Verification.VERIFIED
        ).order_by("email")
    )
    demo_officer = next((u for u in verified if u.email == DEMO_OFFICER), None)
    others = [u for u in verified if u.email != DEMO_OFFICER]
    if not others:
        return
    today = demo.now.date()
    upcoming = list(
        TrainingSession.objects.filter(
            status=TrainingSession.Status.SCHEDULED, start_date__gt=today
        ).order_by("start_date", "reference")[:6]
    )
    registrations = []
    stamp = demo.now - datetime.timedelta(days=20)

    def add(session, officer, status, minutes):
        registrations.append(
            Registration(
                session=session,
                officer=officer,
                status=status,
                created_at=stamp + datetime.timedelta(minutes=minutes),
                status_changed_at=stamp + datetime.timedelta(minutes=minutes),
            )
        )

    for index, session in enumerate(upcoming):
        people = demo.rng.sample(others, min(len(others), 11 if index < 2 else 5))
        if index == 0 and demo_officer is not None:
            people = [demo_officer, *people[:-1]]
        if index < 2:
            # Full, with a waitlist of the last three in line.
            session.capacity = max(len(people) - 3, 1)
            session.save(update_fields=["capacity"])
        for position, officer in enumerate(people):
            status = (
                Registration.Status.WAITLISTED
                if index < 2 and position >= session.capacity
                else Registration.Status.CONFIRMED
            )
            add(session, officer, status, position)
    delivered = list(
        TrainingSession.objects.filter(status=TrainingSession.Status.DELIVERED)
        .prefetch_related("days")
        .order_by("-start_date", "reference")[:4]
    )
    # The reporting demo already registered officers on every delivered session: add others.
    taken = set(
        Registration.objects.filter(session__in=delivered).values_list("session_id", "officer_id")
    )
    for session in delivered:
        free = [officer for officer in others if (session.pk, officer.pk) not in taken]
        for position, officer in enumerate(demo.rng.sample(free, min(len(free), 8))):
            add(session, officer, Registration.Status.CONFIRMED, position)
    created = Registration.objects.bulk_create(registrations)
    by_session = {session.pk: session for session in delivered}
    # One walk-in on each delivered session: flagged "Walk-in" on its roster and roll call.
    walk_ins = [next((r for r in created if r.session_id == s.pk), None) for s in delivered]
    Registration.objects.filter(pk__in=[r.pk for r in walk_ins if r is not None]).update(
        walk_in=True
    )
    statuses = [Attendance.Status.PRESENT] * 8 + [
        Attendance.Status.LATE,
        Attendance.Status.EXCUSED,
        Attendance.Status.ABSENT,
    ]
    attendance = []
    for registration in created:
        session = by_session.get(registration.session_id)
        if session is None:
            continue
        for day in session.days.all():
            attendance.append(
                Attendance(
                    registration=registration,
                    day=day,
                    status=demo.rng.choice(statuses),
                    method=Attendance.Method.ROLL_CALL,
                    recorded_at=day.ends_at,
                )
            )
    Attendance.objects.bulk_create(attendance)
    # Bulk writes bypass record_attendance(): refresh the stored flag explicitly.
    refresh_participated({row.registration_id for row in attendance})
