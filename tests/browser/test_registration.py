"""Browser journey: a verified officer signs in, registers for a session and downloads its
.ics; the session's trainer marks them present on a phone-sized screen."""

import datetime

import pytest

from sessions.models import Attendance
from tests import factories
from tests.browser.helpers import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_register_download_ics_then_roll_call_on_a_phone(live_server, page):
    day = datetime.date.today() + datetime.timedelta(days=14)
    s = factories.session(
        reference="BR-REG-1",
        days=[(day, datetime.time(9), datetime.time(17))],
        delivery="remote",
        join_url="https://meet.example/br-room",
        capacity=5,
    )
    trainer = factories.trainer()
    s.trainers.add(trainer)
    officer = factories.officer(first_name="Mei", last_name="Cheung")

    sign_in(page, live_server, officer)
    page.goto(live_server.url + s.get_absolute_url())
    page.get_by_role("button", name="Register").click()
    page.wait_for_selector("text=your seat is confirmed")
    assert page.get_by_text("https://meet.example/br-room").first.is_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to my calendar (.ics)").click()
    ics = open(download_info.value.path(), newline="").read()  # noqa: SIM115
    assert "BEGIN:VEVENT" in ics and "br-room" in ics.replace("\r\n ", "")

    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, trainer)
    page.goto(live_server.url + f"/sessions/{s.reference}/roll-call/")
    page.get_by_role("button", name=f"Present {officer.email}").click()
    page.wait_for_selector('[data-status="present"]')
    attendance = Attendance.objects.get()
    assert (attendance.status, attendance.recorded_by) == ("present", trainer)
