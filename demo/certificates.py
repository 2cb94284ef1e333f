"""Demo certificates: the two templates, and certificates for three delivered 2023 sessions.

Attendance for the whole demo programme comes with the attendance work; until then this
module registers a handful of officers (the demo officer, a Thai and a Korean officer among
them) on three delivered sessions, marks their days, and issues through the real services:
one certificate is revoked and one re-issued, so every status can be seen.
"""

from django.contrib.auth import get_user_model
from django.db.models import Count

from certificates import services
from certificates.models import CertificateTemplate, Signatory
from sessions.attendance.services import refresh_participated
from sessions.models import Attendance, Registration, TrainingSession

from . import data

User = get_user_model()

TEMPLATES = [
    {
        "key": "completion",
        "name": "Certificate of completion",
        "heading": "Certificate of completion",
        "wording": (
            "This is to certify that\n{officer_name}\nof {agency}\n"
            "has completed the course\n{course_title}\n{dates} · {city} · {hours} hours"
        ),
        "orientation": CertificateTemplate.Orientation.LANDSCAPE,
    },
    {
        "key": "participation",
        "name": "Certificate of participation",
        "heading": "Certificate of participation",
        "wording": (
            "This certificate is presented to\n{officer_name}\n"
            "for participating in\n{course_title}\n{dates}"
        ),
        "orientation": CertificateTemplate.Orientation.PORTRAIT,
    },
]
SIGNATORIES = [
    ("Jonas Brandt", "Programme lead"),
    ("Tessa Marlow", "Lead trainer"),
]


def build_certificates(demo):
    for spec in TEMPLATES:
        template, created = CertificateTemplate.objects.get_or_create(
            key=spec["key"], defaults={k: v for k, v in spec.items() if k != "key"}
        )
        if created:
            for order, (name, title) in enumerate(SIGNATORIES):
                Signatory.objects.create(
                    template=template, name=name, title=title, sort_order=order
                )

    rng = demo.rng
    multi_day = list(
        TrainingSession.objects.filter(
            status=TrainingSession.Status.DELIVERED, start_date__year=2023
        )
        .annotate(day_count=Count("days"))
        .filter(day_count__gte=2)
        .order_by("start_date", "reference")
    )
    sessions = sorted(rng.sample(multi_day, 3), key=lambda s: (s.start_date, s.reference))

    demo_officer = User.objects.get(email=data.LOGINS[0][1])
    thai = next(u for u in demo.officers if u.first_name == data.NATIVE_NAMES[0][0])
    korean = next(u for u in demo.officers if u.first_name == data.NATIVE_NAMES[2][0])
    issued = []
    for index, session in enumerate(sessions):
        others = rng.sample([u for u in demo.officers if u not in (thai, korean)], 4)
        roster = [demo_officer, thai if index != 2 else korean, *others]
        if index == 1:
            roster.append(korean)
        days = list(session.days.order_by("date"))
        for position, officer in enumerate(roster):
            registration, _ = Registration.objects.get_or_create(
                session=session,
                officer=officer,
                defaults={"status": Registration.Status.CONFIRMED},
            )
            # The last officer on each roster missed most days: listed as not eligible.
            missed = len(days) - 1 if position == len(roster) - 1 else 0
            for day_index, day in enumerate(days):
                status = (
                    Attendance.Status.ABSENT
                    if day_index >= len(days) - missed
                    else rng.choice([Attendance.Status.PRESENT] * 4 + [Attendance.Status.LATE])
                )
                Attendance.objects.get_or_create(
                    registration=registration,
                    day=day,
                    defaults={"status": status, "method": Attendance.Method.ROLL_CALL},
                )
            refresh_participated([registration.pk])
        trainer = session.trainers.order_by("pk").first()
        issued.extend(services.bulk_issue_for_session(session=session, acting_user=trainer))

    lead = User.objects.get(email=data.LOGINS[2][1])
    revoked = next(c for c in issued if c.officer not in (demo_officer, thai, korean))
    services.revoke(
        certificate=revoked,
        reason="Issued in error: the officer attended another session.",
        acting_user=lead,
    )
    korean_certificate = next(c for c in issued if c.officer == korean)
    services.reissue(
        certificate=korean_certificate,
        reason="Replacement requested by the officer: the original was sent to an old address.",
        acting_user=lead,
    )
