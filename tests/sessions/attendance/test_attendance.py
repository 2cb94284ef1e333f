"""Attendance: the service, roll call, walk-ins and QR check-in."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

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
    s = factories.session(days=TWO_DAYS)
    trainer = factories.trainer()
    s.trainers.add(trainer)
    reg = factories.registration(session_obj=s)
    day1, day2 = s.days.order_by("date")
    return s, trainer, reg, day1, day2


def test_record_attendance_upserts_with_who_and_how(setup):
    _s, trainer, reg, day1, _day2 = setup
    attendance_services.record_attendance(
        registration=reg, day=day1, status=A.LATE, method="roll_call", acting_user=trainer
    )
    attendance_services.record_attendance(
        registration=reg, day=day1, status=A.PRESENT, method="qr", acting_user=reg.officer
    )
    (attendance,) = Attendance.objects.all()
    assert (attendance.status, attendance.method, attendance.recorded_by) == (
        A.PRESENT,
        "qr",
        reg.officer,
    )


def test_record_attendance_refuses_other_sessions_days_and_unconfirmed(setup):
    s, trainer, reg, day1, _day2 = setup
    other_day = factories.session().days.get()
    with pytest.raises(ValidationError):
        attendance_services.record_attendance(
            registration=reg, day=other_day, status=A.PRESENT, method="qr", acting_user=trainer
        )
    waiting = factories.registration(session_obj=s, status=Registration.Status.WAITLISTED)
    with pytest.raises(ValidationError):
        attendance_services.record_attendance(
            registration=waiting, day=day1, status=A.PRESENT, method="qr", acting_user=trainer
        )
    assert not Attendance.objects.exists()


def roll_call_url(s):
    return reverse("training_sessions:roll_call", args=[s.reference])


def test_roll_call_permissions(client, setup):
    s, trainer, reg, _day1, _day2 = setup
    assert "/accounts/login/" in client.get(roll_call_url(s))["Location"]
    for outsider in (reg.officer, factories.trainer()):
        client.force_login(outsider)
        assert client.get(roll_call_url(s)).status_code == 404
        assert (
            client.post(
                roll_call_url(s), {"day": "2030-03-04", "registration": reg.pk, "status": "present"}
            ).status_code
            == 404
        )
    assert not Attendance.objects.exists()
    client.force_login(trainer)
    assert client.get(roll_call_url(s)).status_code == 200


def test_roll_call_one_tap_marks_a_person_for_the_chosen_day(client, setup):
    s, trainer, reg, _day1, day2 = setup
    client.force_login(trainer)
    response = client.post(
        roll_call_url(s), {"day": "2030-03-05", "registration": reg.pk, "status": "late"}
    )
    assert response.status_code == 302 and f"#reg-{reg.pk}" in response["Location"]
    attendance = Attendance.objects.get()
    assert (attendance.day, attendance.status, attendance.method, attendance.recorded_by) == (
        day2,
        A.LATE,
        "roll_call",
        trainer,
    )
    page = client.get(roll_call_url(s) + "?day=2030-03-05").content.decode()
    assert 'data-status="late"' in page


def test_roll_call_refuses_a_registration_of_another_session(client, setup):
    s, trainer, _reg, _day1, _day2 = setup
    foreign = factories.registration(session_obj=factories.session(days=TWO_DAYS))
    client.force_login(trainer)
    response = client.post(
        roll_call_url(s), {"day": "2030-03-04", "registration": foreign.pk, "status": "present"}
    )
    assert response.status_code == 404 and not Attendance.objects.exists()


def test_walk_ins_found_or_created_and_confirmed_past_capacity(client, setup):
    s, trainer, _reg, _day1, _day2 = setup
    s.capacity = 1
    s.save()
    known = factories.officer()
    client.force_login(trainer)
    url = reverse("training_sessions:walk_in", args=[s.reference])
    client.post(url, {"email": known.email.upper(), "day": "2030-03-04"})
    client.post(
        url,
        {
            "email": "new.person@agency.example",
            "first_name": "New",
            "agency": factories.agency().pk,
        },
    )
    walk_ins = Registration.objects.filter(session=s, walk_in=True).select_related(
        "officer__officer_profile"
    )
    assert {r.officer.email for r in walk_ins} == {known.email, "new.person@agency.example"}
    assert {r.status for r in walk_ins} == {Registration.Status.CONFIRMED}
    created = next(r.officer for r in walk_ins if r.officer != known)
    assert not created.has_usable_password()
    assert created.officer_profile.verification == "pending"
    client.post(url, {"email": "not-an-email"})
    assert Registration.objects.filter(session=s).count() == 3


# --- QR check-in ----------------------------------------------------------------------------


def on(day, hour=9, minute=0, second=0, microsecond=0):
    """Pretend it is this local time on `day` in its session's time zone."""
    local = datetime.datetime.combine(
        day.date, datetime.time(hour, minute, second, microsecond), tzinfo=day.session.zone
    )
    return mock.patch("sessions.checkin._now", return_value=local.astimezone(datetime.UTC))


def checkin_url(s, day, token):
    return (
        reverse("training_sessions:checkin", args=[s.reference, day.date.isoformat()])
        + "?code="
        + token
    )


def test_a_confirmed_registrant_with_a_fresh_code_is_marked_present(client, setup):
    s, _trainer, reg, day1, _day2 = setup
    client.force_login(reg.officer)
    with on(day1):
        response = client.get(checkin_url(s, day1, checkin.make_token(day1)))
    assert response.status_code == 200
    attendance = Attendance.objects.get()
    assert (attendance.status, attendance.method, attendance.day) == (A.PRESENT, "qr", day1)


def test_an_expired_code_is_refused(client, setup):
    s, _trainer, reg, day1, _day2 = setup
    token = checkin.make_token(day1)
    client.force_login(reg.officer)
    later = checkin.time.time() + checkin.MAX_AGE_SECONDS + 1
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.get(checkin_url(s, day1, token))
    assert response.status_code == 400 and response.context["code"] == "expired"
    assert not Attendance.objects.exists()


def test_another_days_code_another_sessions_and_tampered_codes_are_refused(client, setup):
    s, _trainer, reg, day1, day2 = setup
    other = factories.session(days=TWO_DAYS)
    client.force_login(reg.officer)
    cases = [
        (checkin_url(s, day2, checkin.make_token(day1)), "day"),
        (checkin_url(s, day1, checkin.make_token(other.days.order_by("date")[0])), "session"),
        (checkin_url(s, day1, checkin.make_token(day1) + "x"), "invalid"),
        (checkin_url(s, day1, ""), "invalid"),
    ]
    for url, code in cases:
        with on(day1):
            response = client.get(url)
        assert response.status_code == 400 and response.context["code"] == code
    assert not Attendance.objects.exists()


def test_only_confirmed_registrants_check_in(client, setup):
    s, _trainer, _reg, day1, _day2 = setup
    waiting = factories.registration(session_obj=s, status=Registration.Status.WAITLISTED)
    for person in (factories.officer(), waiting.officer):
        client.force_login(person)
        with on(day1):
            response = client.get(checkin_url(s, day1, checkin.make_token(day1)))
        assert response.status_code == 403
    assert not Attendance.objects.exists()
    client.logout()
    assert "/accounts/login/" in client.get(checkin_url(s, day1, "x"))["Location"]


def test_the_code_rotates_and_the_trainer_page_shows_it(client, setup):
    s, trainer, reg, day1, _day2 = setup
    now = 1_900_000_000
    assert checkin.make_token(day1, now=now) != checkin.make_token(
        day1, now=now + checkin.ROTATE_SECONDS
    )
    url = reverse("training_sessions:checkin_code", args=[s.reference, "2030-03-04"])
    client.force_login(reg.officer)
    assert client.get(url).status_code == 404
    client.force_login(trainer)
    page = client.get(url).content.decode()
    assert "<svg" in page and "check-in/?code=" in page


# --- Roll call answered as JSON (static/js/rollcall.js) ------------------------------------

JSON = {"HTTP_ACCEPT": "application/json"}


def test_roll_call_answers_json_when_asked_and_saves_the_tap(client, setup):
    s, trainer, reg, _day1, day2 = setup
    client.force_login(trainer)
    response = client.post(
        roll_call_url(s), {"day": "2030-03-05", "registration": reg.pk, "status": "late"}, **JSON
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "registration": reg.pk,
        "day": "2030-03-05",
        "status": "late",
        "text": "Late · Roll call",
        "message": "Saved",
    }
    attendance = Attendance.objects.get()
    assert (attendance.day, attendance.status, attendance.recorded_by) == (day2, A.LATE, trainer)
    assert client.get(roll_call_url(s)).content.decode().count("rollcall.js") == 1


def test_roll_call_json_errors_say_why_and_write_nothing(client, setup):
    s, trainer, reg, _day1, _day2 = setup
    client.force_login(trainer)
    bad_status = client.post(
        roll_call_url(s), {"day": "2030-03-04", "registration": reg.pk, "status": "asleep"}, **JSON
    )
    assert bad_status.status_code == 400 and bad_status.json()["error"]
    foreign = factories.registration(session_obj=factories.session(days=TWO_DAYS))
    not_here = client.post(
        roll_call_url(s),
        {"day": "2030-03-04", "registration": foreign.pk, "status": "present"},
        **JSON,
    )
    assert not_here.status_code == 404 and not_here.json()["error"]
    waiting = factories.registration(session_obj=s, status="waitlisted")
    unconfirmed = client.post(
        roll_call_url(s),
        {"day": "2030-03-04", "registration": waiting.pk, "status": "present"},
        **JSON,
    )
    assert unconfirmed.status_code == 400
    assert "confirmed" in unconfirmed.json()["error"]
    assert not Attendance.objects.exists()


def test_roll_call_json_is_refused_to_outsiders_like_the_page(client, setup):
    s, _trainer, reg, _day1, _day2 = setup
    client.force_login(factories.trainer())
    response = client.post(
        roll_call_url(s), {"day": "2030-03-04", "registration": reg.pk, "status": "present"}, **JSON
    )
    assert response.status_code == 404 and not Attendance.objects.exists()
