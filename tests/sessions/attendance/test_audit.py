"""Attendance changes and roster exports leave audit entries."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from sessions.attendance import services as attendance_services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    s = factories.session(days=[(datetime.date(2030, 3, 4), datetime.time(9), datetime.time(17))])
    trainer = factories.trainer()
    s.trainers.add(trainer)
    reg = factories.registration(session_obj=s)
    return s, trainer, reg, s.days.get()


def test_first_recording_then_a_change_then_the_same_again(setup):
    _s, trainer, reg, day = setup
    attendance_services.record_attendance(
        registration=reg, day=day, status="late", method="roll_call", acting_user=trainer
    )
    first = AuditEntry.objects.get()
    assert first.action == "attendance.recorded" and first.before is None
    assert first.after == {"day": "2030-03-04", "status": "late", "method": "roll_call"}
    assert first.subject == reg.officer and first.actor == trainer

    attendance_services.record_attendance(
        registration=reg, day=day, status="present", method="qr", acting_user=reg.officer
    )
    change = AuditEntry.objects.get(action="attendance.changed")
    assert change.before == {"day": "2030-03-04", "status": "late", "method": "roll_call"}
    assert change.after == {"day": "2030-03-04", "status": "present", "method": "qr"}

    attendance_services.record_attendance(
        registration=reg, day=day, status="present", method="qr", acting_user=reg.officer
    )
    assert AuditEntry.objects.count() == 2


def test_refused_attendance_leaves_no_entry(setup):
    _s, trainer, reg, day = setup
    with pytest.raises(ValidationError):
        attendance_services.record_attendance(
            registration=reg, day=day, status="asleep", method="roll_call", acting_user=trainer
        )
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("table,fmt", [("roster", "csv"), ("attendance", "xlsx")])
def test_exports_are_audited(client, setup, table, fmt):
    s, trainer, _reg, _day = setup
    client.force_login(trainer)
    response = client.get(reverse("training_sessions:export", args=[s.reference, table, fmt]))
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="personal_data.exported")
    assert entry.actor == trainer and entry.target_id == str(s.pk)
    assert entry.after == {"export": table, "format": fmt, "rows": 1}


def test_a_refused_export_is_not_audited(client, setup):
    s, _trainer, _reg, _day = setup
    client.force_login(factories.trainer())
    response = client.get(reverse("training_sessions:export", args=[s.reference, "roster", "csv"]))
    assert response.status_code == 404
    assert not AuditEntry.objects.exists()
