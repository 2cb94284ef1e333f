"""Demo registrations: full sessions with waitlists, the demo officer confirmed, attendance."""

import pytest
from django.core.management import call_command

from sessions.models import Attendance, Registration

# The demo programme is built once per test process (tests/conftest.py); seed_demo below then
# finds it loaded and changes nothing, as it would on a second `make run`.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_programme")]


def test_demo_registrations_and_attendance():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Registration.objects.filter(
        officer__email="officer@hkpf.example", status="confirmed", session__status="scheduled"
    ).exists()
    waitlisted = Registration.objects.filter(status="waitlisted")
    assert waitlisted.values("session").distinct().count() == 2
    for registration in waitlisted:
        session = registration.session
        assert session.registrations.filter(status="confirmed").count() == session.capacity
    assert Attendance.objects.filter(day__session__status="delivered").exists()
    before = (Registration.objects.count(), Attendance.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Registration.objects.count(), Attendance.objects.count()) == before


def test_demo_has_a_queue_of_registrations_awaiting_approval(client):
    from django.urls import reverse

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    pending = Registration.objects.filter(status="pending")
    assert pending.count() >= 5
    session = pending.first().session
    assert session.eligibility == "approval" and session.status == "scheduled"
    assert session.trainers.filter(email="trainer@muster.example").exists()
    assert Registration.objects.filter(session=session, status="rejected").exclude(
        rejection_reason=""
    )
    # Signed in with both factors (tests/demo/test_security_demo.py signs demo staff in by form).
    client.force_login(session.trainers.get(email="trainer@muster.example"))
    page = client.get(reverse("training_sessions:roster", args=[session.reference]))
    assert 'id="roster-pending"' in page.content.decode()
    before = Registration.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Registration.objects.count() == before
