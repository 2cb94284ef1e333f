"""Browser journey end to end: an officer signs up on their agency's domain, confirms the e-mail
from the link in the outbox folder, registers for a session and downloads its .ics; then the
session's trainer, on a phone-sized screen, marks them present at roll call without the page
reloading (static/js/rollcall.js)."""

import datetime
import re

import pytest
from icalendar import Calendar

from sessions.calendar import day_uid
from sessions.models import Attendance
from tests import factories
from tests.browser.test_registration import sign_in
from tests.browser.test_signup import sign_up

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def outbox(settings, tmp_path):
    """E-mails written as files, as `make run` does (var/outbox/), in a folder of the test's."""
    folder = tmp_path / "outbox"
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(folder)},
        }
    }
    return folder


def confirmation_link(outbox):
    """The confirmation link in the newest mail of the outbox folder."""
    files = sorted(outbox.glob("*.log"), key=lambda path: path.stat().st_mtime)
    assert files, "no e-mail was written to the outbox folder"
    text = files[-1].read_text()
    # Long lines of a quoted-printable body are folded with "=" at the end.
    text = text.replace("=\n", "").replace("=3D", "=")
    return re.search(r"https?://\S+/accounts/confirm-email/\S+/", text).group(0)


def test_sign_up_confirm_register_download_then_trainer_marks_present_on_a_phone(
    live_server, page, outbox
):
    factories.agency(name="Hong Kong Police Force", domain="hkpf.example")
    day = datetime.date.today() + datetime.timedelta(days=10)
    session = factories.session(
        reference="BR-JOURNEY-1",
        days=[(day, datetime.time(9), datetime.time(17))],
        time_zone="Asia/Hong_Kong",
        capacity=10,
    )
    trainer = factories.trainer()
    session.trainers.add(trainer)

    # The officer signs up on the agency's domain and confirms from the outbox folder.
    sign_up(page, live_server, "mei.chan@hkpf.example")
    link = confirmation_link(outbox)
    page.goto(link.replace("http://testserver", live_server.url))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/accounts/profile/")
    assert page.locator("[data-verification]").inner_text() == "Verified"

    # Registers and downloads the session's calendar file.
    page.goto(live_server.url + session.get_absolute_url())
    page.get_by_role("button", name="Register").click()
    page.wait_for_selector("text=your seat is confirmed")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to my calendar (.ics)").click()
    with open(download_info.value.path(), "rb") as handle:
        calendar = Calendar.from_ical(handle.read())
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == day_uid(session, session.days.get())
    assert session.reference in str(event["SUMMARY"])
    assert session.course.title in str(event["SUMMARY"])

    # The trainer takes the roll on a phone; the tap is saved without reloading the page.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, trainer.email)
    page.goto(live_server.url + f"/sessions/{session.reference}/roll-call/")
    page.wait_for_selector("[data-roll-call-list][data-enhanced]")
    page.evaluate("window.rollCallMarker = 'still-here'")
    page.get_by_role("button", name="Present mei.chan@hkpf.example").click()
    row = page.locator(".roll-call-person", has_text="mei.chan@hkpf.example")
    row.locator('[data-status="present"]').wait_for()
    row.get_by_text("Saved").wait_for()
    assert page.evaluate("window.rollCallMarker") == "still-here"  # no full reload
    assert row.get_by_role("button", name="Present mei.chan@hkpf.example").get_attribute(
        "aria-pressed"
    ) == ("true")
    attendance = Attendance.objects.get()
    assert (
        attendance.registration.officer.email,
        attendance.status,
        attendance.method,
        attendance.recorded_by,
    ) == ("mei.chan@hkpf.example", "present", "roll_call", trainer)
