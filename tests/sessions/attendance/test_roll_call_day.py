"""Roll call on the day (issue 14): walk-ins marked present with an agency and flagged, "Mark
all present", the current status readable without bold, and QR codes on their own day only."""

import datetime
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from sessions import checkin
from sessions.attendance import services as attendance_services
from sessions.models import Attendance, Registration
from tests import factories

pytestmark = pytest.mark.django_db
A = Attendance.Status
TWO_DAYS = [
    (datetime.date(2030, 3, 4), datetime.time(9), datetime.time(17)),
    (datetime.date(2030, 3, 5), datetime.time(9), datetime.time(17)),
]


@pytest.fixture
def setup():
    # West of UTC, so the local day and the UTC day differ in the evening.
    s = factories.session(days=TWO_DAYS, time_zone="America/Los_Angeles")
    trainer = factories.trainer()
    s.trainers.add(trainer)
    reg = factories.registration(session_obj=s)
    day1, day2 = s.days.order_by("date")
    return s, trainer, reg, day1, day2


def roll_call_url(s, day=None):
    url = reverse("training_sessions:roll_call", args=[s.reference])
    return f"{url}?day={day.date.isoformat()}" if day else url


def walk_in_url(s):
    return reverse("training_sessions:walk_in", args=[s.reference])


def actions():
    return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


# --- Walk-ins ------------------------------------------------------------------------------


def test_a_walk_in_is_marked_present_for_that_day_only_with_their_agency(client, setup):
    s, trainer, _reg, day1, day2 = setup
    agency = factories.agency()
    client.force_login(trainer)
    response = client.post(
        walk_in_url(s),
        {
            "email": "walk.in@agency.example",
            "last_name": "Ng",
            "agency": agency.pk,
            "day": "2030-03-05",
        },
    )
    assert response.status_code == 302 and "day=2030-03-05" in response["Location"]
    registration = Registration.objects.get(session=s, officer__email="walk.in@agency.example")
    assert registration.walk_in and registration.status == Registration.Status.CONFIRMED
    assert registration.participated
    assert registration.officer.officer_profile.agency == agency
    mark = Attendance.objects.get(registration=registration)
    assert (mark.day, mark.status, mark.method, mark.recorded_by) == (
        day2,
        A.PRESENT,
        Attendance.Method.ROLL_CALL,
        trainer,
    )
    assert not Attendance.objects.filter(day=day1).exists()
    assert actions()[-2:] == [
        AuditEntry.Action.WALK_IN_ADDED,
        AuditEntry.Action.ATTENDANCE_RECORDED,
    ]


def test_someone_already_confirmed_is_marked_present_and_not_re_registered(client, setup):
    s, trainer, reg, day1, _day2 = setup
    client.force_login(trainer)
    client.post(walk_in_url(s), {"email": reg.officer.email, "day": "2030-03-04"})
    reg.refresh_from_db()
    assert not reg.walk_in  # they registered; only today's mark is new
    assert Attendance.objects.get(registration=reg).day == day1
    assert AuditEntry.Action.WALK_IN_ADDED not in actions()


def test_someone_new_without_an_agency_is_refused_and_nothing_is_written(client, setup):
    s, trainer, _reg, _day1, _day2 = setup
    client.force_login(trainer)
    users = type(trainer).objects.count()
    response = client.post(walk_in_url(s), {"email": "nobody@agency.example", "day": "2030-03-04"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Choose the agency of someone new to Muster." in page
    # An agency that does not exist is refused the same way (chosen from the list only).
    client.post(
        walk_in_url(s), {"email": "nobody@agency.example", "agency": "999999", "day": "2030-03-04"}
    )
    assert type(trainer).objects.count() == users
    assert Registration.objects.filter(session=s).count() == 1
    assert not Attendance.objects.exists() and not AuditEntry.objects.exists()


def test_the_walk_in_service_refuses_another_sessions_day(setup):
    s, trainer, _reg, _day1, _day2 = setup
    other_day = factories.session().days.get()
    with pytest.raises(ValidationError):
        attendance_services.add_walk_in(
            session=s,
            email="walk.in@agency.example",
            agency=factories.agency(),
            day=other_day,
            acting_user=trainer,
        )
    assert Registration.objects.filter(session=s).count() == 1
    assert not type(trainer).objects.filter(email="walk.in@agency.example").exists()


def test_walk_ins_are_flagged_on_the_roster_and_the_roll_call(client, setup):
    s, trainer, reg, day1, _day2 = setup
    walk_in = attendance_services.add_walk_in(
        session=s,
        email="walk.in@agency.example",
        agency=factories.agency(),
        day=day1,
        acting_user=trainer,
    )
    client.force_login(trainer)
    roster = client.get(reverse("training_sessions:roster", args=[s.reference])).content.decode()
    roll_call = client.get(roll_call_url(s, day1)).content.decode()
    for page in (roster, roll_call):
        assert page.count('class="tag tag-walk-in">Walk-in<') == 1
    # The flag sits in the walk-in's row, not the registrant's.
    row = roll_call.split(f'id="reg-{walk_in.pk}"')[1].split("</li>")[0]
    assert "Walk-in" in row
    row = roll_call.split(f'id="reg-{reg.pk}"')[1].split("</li>")[0]
    assert "Walk-in" not in row
    # The form offers the known agencies.
    assert 'name="agency"' in roll_call and str(walk_in.officer.officer_profile.agency) in roll_call


# --- Mark all present ----------------------------------------------------------------------


def test_mark_all_present_marks_only_the_unmarked_confirmed_for_that_day(client, setup):
    s, trainer, reg, day1, day2 = setup
    absent = factories.registration(session_obj=s)
    third = factories.registration(session_obj=s)
    waiting = factories.registration(session_obj=s, status=Registration.Status.WAITLISTED)
    attendance_services.record_attendance(
        registration=absent, day=day1, status=A.ABSENT, method="roll_call", acting_user=trainer
    )
    before = AuditEntry.objects.count()
    client.force_login(trainer)
    response = client.post(roll_call_url(s), {"day": "2030-03-04", "action": "mark_all_present"})
    assert response.status_code == 302 and "day=2030-03-04" in response["Location"]
    marks = dict(Attendance.objects.filter(day=day1).values_list("registration_id", "status"))
    assert marks == {reg.pk: A.PRESENT, absent.pk: A.ABSENT, third.pk: A.PRESENT}
    assert not Attendance.objects.filter(day=day2).exists()
    assert not Attendance.objects.filter(registration=waiting).exists()
    assert set(Registration.objects.filter(participated=True).values_list("pk", flat=True)) == {
        reg.pk,
        third.pk,
    }
    entries = AuditEntry.objects.order_by("pk")[before:]
    assert [e.action for e in entries] == [AuditEntry.Action.ATTENDANCE_RECORDED] * 2
    assert {e.subject_id for e in entries} == {reg.officer.pk, third.officer.pk}
    assert all(e.after["day"] == "2030-03-04" and e.after["status"] == "present" for e in entries)
    assert "2 people marked present." in client.get(response["Location"]).content.decode()


def test_mark_all_present_again_writes_nothing(client, setup):
    s, trainer, _reg, day1, _day2 = setup
    assert attendance_services.mark_all_present(session=s, day=day1, acting_user=trainer) == 1
    before = AuditEntry.objects.count()
    assert attendance_services.mark_all_present(session=s, day=day1, acting_user=trainer) == 0
    assert AuditEntry.objects.count() == before and Attendance.objects.count() == 1


def test_mark_all_present_is_refused_to_outsiders_and_for_another_sessions_day(client, setup):
    s, trainer, _reg, _day1, _day2 = setup
    client.force_login(factories.trainer())
    response = client.post(roll_call_url(s), {"day": "2030-03-04", "action": "mark_all_present"})
    assert response.status_code == 404
    with pytest.raises(ValidationError):
        attendance_services.mark_all_present(
            session=s, day=factories.session().days.get(), acting_user=trainer
        )
    assert not Attendance.objects.exists() and not AuditEntry.objects.exists()


def test_mark_all_present_asks_for_confirmation_first(client, setup):
    s, trainer, reg, day1, _day2 = setup
    client.force_login(trainer)
    page = client.get(roll_call_url(s, day1)).content.decode()
    assert 'confirm=all#mark-all" class="button">Mark all present' in page
    assert 'value="mark_all_present"' not in page
    page = client.get(roll_call_url(s, day1) + "&confirm=all").content.decode()
    assert 'value="mark_all_present"' in page and "Mark the 1 person not marked yet" in page
    assert not Attendance.objects.exists()  # asking writes nothing
    attendance_services.record_attendance(
        registration=reg, day=day1, status=A.LATE, method="roll_call", acting_user=trainer
    )
    page = client.get(roll_call_url(s, day1) + "&confirm=all").content.decode()
    assert 'value="mark_all_present"' not in page and 'id="mark-all"' not in page


# --- The current status without bold -------------------------------------------------------


def test_the_current_status_is_said_in_words_and_pressed_state(client, setup):
    s, trainer, reg, day1, _day2 = setup
    unmarked = factories.registration(session_obj=s)
    attendance_services.record_attendance(
        registration=reg, day=day1, status=A.EXCUSED, method="roll_call", acting_user=trainer
    )
    client.force_login(trainer)
    page = client.get(roll_call_url(s, day1)).content.decode()
    marked_row = page.split(f'id="reg-{reg.pk}"')[1].split("</li>")[0]
    assert "Status:" in marked_row and "Excused · Roll call" in marked_row
    assert marked_row.count('aria-pressed="true"') == 1
    pressed = marked_row.split('aria-pressed="true"')[0].rsplit("<button", 1)[1]
    assert 'value="excused"' in pressed
    unmarked_row = page.split(f'id="reg-{unmarked.pk}"')[1].split("</li>")[0]
    assert "Not taken" in unmarked_row and 'aria-pressed="true"' not in unmarked_row
    css = (Path(settings.BASE_DIR) / "muster/static/css/muster.css").read_text()
    assert '.roll-call-buttons [aria-pressed="true"]::before' in css


# --- QR codes on their own day -------------------------------------------------------------


def at(day, *args):
    """Pretend it is this local time on `day` in its session's time zone."""
    local = datetime.datetime.combine(day.date, datetime.time(*args), tzinfo=day.session.zone)
    return mock.patch("sessions.checkin._now", return_value=local.astimezone(datetime.UTC))


def checkin_url(s, day):
    url = reverse("training_sessions:checkin", args=[s.reference, day.date.isoformat()])
    return f"{url}?code={checkin.make_token(day)}"


def test_a_day_two_code_is_refused_until_day_two_starts_in_the_sessions_zone(client, setup):
    s, _trainer, reg, day1, day2 = setup
    client.force_login(reg.officer)
    # 23:59:59.999999 on day 1 in Los Angeles is already day 2 in UTC: still refused.
    with at(day1, 23, 59, 59, 999999):
        response = client.get(checkin_url(s, day2))
    assert response.status_code == 400 and response.context["code"] == "not_today"
    assert "works on that day only" in response.context["error"]
    assert "5 March 2030" in response.context["error"]
    assert not Attendance.objects.exists()
    with at(day2, 0, 0):
        response = client.get(checkin_url(s, day2))
    assert response.status_code == 200
    assert Attendance.objects.get().day == day2


def test_a_day_one_code_is_refused_once_day_one_is_over(client, setup):
    s, _trainer, reg, day1, day2 = setup
    client.force_login(reg.officer)
    with at(day1, 23, 59, 59):
        assert client.get(checkin_url(s, day1)).status_code == 200
    Attendance.objects.all().delete()
    with at(day2, 0, 0):
        response = client.get(checkin_url(s, day1))
    assert response.status_code == 400 and response.context["code"] == "not_today"
    assert not Attendance.objects.exists()


def test_the_trainers_code_page_warns_when_the_code_is_not_for_today(client, setup):
    s, trainer, _reg, day1, day2 = setup
    client.force_login(trainer)
    url = reverse("training_sessions:checkin_code", args=[s.reference, "2030-03-05"])
    with at(day1, 12, 0):
        assert "checkin-not-today" in client.get(url).content.decode()
    with at(day2, 12, 0):
        assert "checkin-not-today" not in client.get(url).content.decode()
