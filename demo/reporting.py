"""Who came to the demo's delivered sessions: attendance and headcounts for the reports.

Officers registered and present (a few late, a few absent on one day) on every delivered
session, and headcounts from agencies and jurisdictions on about a third of them (symposium
panels and lectures where nobody registered one by one), so the participants, agencies and
jurisdictions figures mean something. Deterministic (demo.rng) and bulk-written.
"""

from attendees.models import Jurisdiction
from sessions.attendance.services import refresh_participated
from sessions.models import Attendance, Headcount, Registration, TrainingSession

SUPRANATIONAL_HEADCOUNTS = ["EUROPOL", "INTERPOL"]


def build_participation(demo):
    rng = demo.rng
    sessions = list(
        TrainingSession.objects.filter(status=TrainingSession.Status.DELIVERED)
        .prefetch_related("days")
        .order_by("start_date", "reference")
    )
    registrations, day_lists = [], []
    for session in sessions:
        days = sorted(session.days.all(), key=lambda day: day.date)
        for officer in rng.sample(demo.officers, rng.randint(4, 14)):
            registrations.append(
                Registration(
                    session=session,
                    officer=officer,
                    status=Registration.Status.CONFIRMED,
                    created_at=days[0].starts_at,
                    status_changed_at=days[0].starts_at,
                )
            )
            day_lists.append(days)
    Registration.objects.bulk_create(registrations)

    attendance = []
    for registration, days in zip(registrations, day_lists, strict=True):
        for day in days:
            roll = rng.random()
            status = (
                Attendance.Status.PRESENT
                if roll < 0.85
                else Attendance.Status.LATE
                if roll < 0.93
                else Attendance.Status.ABSENT
            )
            attendance.append(
                Attendance(
                    registration=registration,
                    day=day,
                    status=status,
                    method=Attendance.Method.ROLL_CALL,
                    recorded_at=day.ends_at,
                )
            )
    Attendance.objects.bulk_create(attendance)
    # Bulk writes bypass record_attendance(): refresh the stored flag explicitly.
    refresh_participated({row.registration_id for row in attendance})

    bodies = {j.code: j for j in Jurisdiction.objects.filter(code__in=SUPRANATIONAL_HEADCOUNTS)}
    countries = {
        j.code: j
        for j in Jurisdiction.objects.filter(
            code__in={agency.jurisdiction.code for agency in demo.agencies}
        )
    }
    headcounts = []
    for session in sessions:
        if rng.random() >= 0.35:
            continue
        for agency in rng.sample(demo.agencies, rng.randint(1, 3)):
            headcounts.append(Headcount(session=session, agency=agency, count=rng.randint(5, 60)))
        if rng.random() < 0.5:
            code = rng.choice(sorted(countries))
            headcounts.append(
                Headcount(session=session, jurisdiction=countries[code], count=rng.randint(10, 120))
            )
        if rng.random() < 0.15 and bodies:
            body = bodies[rng.choice(sorted(bodies))]
            headcounts.append(
                Headcount(session=session, jurisdiction=body, count=rng.randint(2, 8))
            )
    Headcount.objects.bulk_create(headcounts)
