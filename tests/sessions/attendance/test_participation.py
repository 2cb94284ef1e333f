"""The columns the sessions app stores for the yearly figures, kept right by every write path:
(the attendance service refreshes the first explicitly; see sessions/attendance/services.py)
`Registration.participated` (present or late on at least one day) and
`TrainingSession.scheduled_minutes` (the days' scheduled lengths added up)."""

import datetime
import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import Exists, OuterRef
from django.test import TestCase
from django.urls import reverse

from sessions import checkin
from sessions.attendance import services as attendance_services
from sessions.attendance.services import refresh_participated
from sessions.models import Attendance, Registration, TrainingSession
from tests import factories

pytestmark = pytest.mark.django_db
TWO_DAYS = [
    (datetime.date(2030, 3, 4), datetime.time(9), datetime.time(17)),
    (datetime.date(2030, 3, 5), datetime.time(9), datetime.time(17)),
]


def participated(registration):
    return Registration.objects.values_list("participated", flat=True).get(pk=registration.pk)


def stale_registrations():
    """Registrations whose stored flag disagrees with their attendance rows."""
    truth = Exists(
        Attendance.objects.filter(registration=OuterRef("pk"), status__in=Attendance.ATTENDED)
    )
    return list(
        Registration.objects.annotate(truth=truth)
        .exclude(participated=truth)
        .values_list("pk", flat=True)
    )


@pytest.fixture
def setup():
    s = factories.session(days=TWO_DAYS)
    trainer = factories.trainer()
    s.trainers.add(trainer)
    reg = factories.registration(session_obj=s)
    day1, day2 = s.days.order_by("date")
    return s, trainer, reg, day1, day2


def test_roll_call_sets_and_clears_participated(client, setup):
    s, trainer, reg, _day1, _day2 = setup
    assert participated(reg) is False
    client.force_login(trainer)
    url = reverse("training_sessions:roll_call", args=[s.reference])

    def mark(day, status):
        client.post(url, {"day": day, "registration": reg.pk, "status": status})

    mark("2030-03-04", "absent")
    assert participated(reg) is False
    mark("2030-03-05", "late")
    assert participated(reg) is True
    mark("2030-03-04", "present")
    mark("2030-03-05", "excused")
    assert participated(reg) is True  # still present on the first day
    mark("2030-03-04", "absent")
    assert participated(reg) is False


def test_qr_check_in_sets_participated(client, setup):
    s, _trainer, reg, day1, _day2 = setup
    client.force_login(reg.officer)
    url = reverse("training_sessions:checkin", args=[s.reference, day1.date.isoformat()])
    # Codes work on their own day only (checkin.is_today): it is day 1 at noon.
    noon = datetime.datetime.combine(day1.date, datetime.time(12), tzinfo=s.zone)
    with mock.patch("sessions.checkin._now", return_value=noon):
        assert client.get(url + "?code=" + checkin.make_token(day1)).status_code == 200
    assert participated(reg) is True


def test_roster_import_sets_participated_and_a_changed_import_clears_it(client, setup):
    s, trainer, _reg, _day1, _day2 = setup
    known = factories.officer()
    factories.agency(name="HKPF")  # a new person's agency must exist (imports never create one)
    client.force_login(trainer)
    url = reverse("training_sessions:roster_import", args=[s.reference])

    def run(body):
        upload = SimpleUploadedFile("roster.csv", body.encode(), content_type="text/csv")
        assert client.post(url, {"file": upload}).context["errors"] == []
        with TestCase.captureOnCommitCallbacks(execute=True):
            client.post(url, {"action": "confirm"})

    header = "E-mail,Name,Agency,2030-03-04,2030-03-05\n"
    run(header + f"{known.email},Known One,HKPF,absent,late\nnew@x.example,New,HKPF,,absent\n")
    flags = dict(Registration.objects.values_list("officer__email", "participated"))
    assert flags == {known.email: True, "new@x.example": False, setup[2].officer.email: False}
    run(header + f"{known.email},Known One,HKPF,absent,excused\n")
    assert participated(Registration.objects.get(officer=known)) is False
    assert stale_registrations() == []


def test_bulk_writes_leave_the_flag_to_the_explicit_refresh(setup):
    # The model keeps nothing behind a writer's back: a bulk writer (demo data, benchmarks)
    # calls refresh_participated() itself, in its transaction.
    s, _trainer, reg, day1, _day2 = setup
    other = factories.registration(session_obj=s)
    Attendance.objects.bulk_create(
        [
            Attendance(registration=reg, day=day1, status="absent", method="import"),
            Attendance(registration=other, day=day1, status="late", method="import"),
        ]
    )
    assert (participated(reg), participated(other)) == (False, False)
    assert refresh_participated([reg.pk, other.pk, None]) == 2
    assert (participated(reg), participated(other)) == (False, True)
    Attendance.objects.filter(registration=other).delete()
    refresh_participated([other.pk])
    assert participated(other) is False
    assert stale_registrations() == []


def test_refresh_of_no_registrations_writes_nothing():
    assert refresh_participated([None]) == 0


def test_a_stale_registration_saved_whole_does_not_undo_the_attendance(setup):
    _s, trainer, reg, day1, _day2 = setup
    loaded = Registration.objects.get(pk=reg.pk)  # participated False in memory
    attendance_services.record_attendance(
        registration=reg, day=day1, status="present", method="roll_call", acting_user=trainer
    )
    loaded.walk_in = True
    loaded.save()
    assert participated(reg) is True
    assert Registration.objects.get(pk=reg.pk).walk_in is True


def test_scheduled_minutes_add_up_each_days_real_length_across_a_clock_change():
    # London's clocks went back at 02:00 on 29 October 2023: 00:30 to 03:30 lasted four hours.
    s = factories.session(
        time_zone="Europe/London",
        days=[
            (datetime.date(2023, 10, 28), datetime.time(9), datetime.time(17, 15)),
            (datetime.date(2023, 10, 29), datetime.time(0, 30), datetime.time(3, 30)),
        ],
    )
    assert TrainingSession.objects.get(pk=s.pk).scheduled_minutes == 8 * 60 + 15 + 4 * 60
    s.days.filter(date=datetime.date(2023, 10, 29)).delete()
    s.refresh_schedule()
    assert TrainingSession.objects.get(pk=s.pk).scheduled_minutes == 8 * 60 + 15


def test_the_demo_programme_stores_participation_and_minutes_consistently():
    call_command("seed_demo", stdout=io.StringIO())
    assert Registration.objects.filter(participated=True).exists()
    assert stale_registrations() == []
    for session in TrainingSession.objects.prefetch_related("days"):
        days = session.days.all()
        total = sum((d.ends_at - d.starts_at).total_seconds() for d in days) / 60
        assert session.scheduled_minutes == round(total), session.reference
