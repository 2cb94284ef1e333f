"""Browser journey: a trainer schedules a two-day session in the admin (days inline); it
appears on the public list of upcoming sessions."""

import datetime

import pytest

from tests import factories
from tests.browser.helpers import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_trainer_schedules_a_two_day_session_that_appears_on_the_public_list(live_server, page):
    trainer = factories.trainer(email="trainer.browser@muster.example", password="pw-test-1234")
    course = factories.course(title="Blockchain tracing for investigators")
    first = datetime.date.today() + datetime.timedelta(days=30)
    second = first + datetime.timedelta(days=1)

    sign_in(page, live_server, trainer)

    page.goto(live_server.url + "/admin/sessions/new/")
    page.wait_for_load_state("load")
    page.fill("#id_reference", "2031-TH-042")
    page.select_option("#id_course", str(course.pk))
    page.select_option("#id_time_zone", "Asia/Bangkok")
    page.fill("#id_venue", "Royal Thai Police HQ")
    page.fill("#id_city", "Bangkok")
    page.fill("#id_country", "TH")
    page.fill("#id_days-0-date", first.isoformat())
    page.fill("#id_days-0-start_time", "09:00")
    page.fill("#id_days-0-end_time", "17:00")
    page.keyboard.press("Escape")  # close the time picker, which may cover the button
    page.locator("#id_reference").click()
    page.click("#id_days-ADD")
    page.wait_for_selector("#id_days-1-date")
    page.fill("#id_days-1-date", second.isoformat())
    page.fill("#id_days-1-start_time", "09:00")
    page.fill("#id_days-1-end_time", "13:00")
    page.keyboard.press("Escape")  # close any date picker left open
    page.get_by_role("button", name="Create").click()
    page.wait_for_url("**/admin/sessions/")

    page.goto(live_server.url + "/admin/sessions/")
    assert page.get_by_text("2031-TH-042").count() >= 1
    from sessions.models import TrainingSession

    session = TrainingSession.objects.get(reference="2031-TH-042")
    assert session.days.count() == 2
    assert list(session.trainers.all()) == [trainer]

    page.goto(live_server.url + f"/admin/sessions/status/{session.pk}/")
    page.select_option("select[name=status]", "scheduled")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/admin/sessions/edit/{session.pk}/")

    page.goto(live_server.url + "/sessions/")
    row = page.locator("tr", has_text="Blockchain tracing for investigators")
    assert row.count() == 1
    text = row.inner_text()
    assert "2031-TH-042" in text
    assert "Asia/Bangkok" in text
    assert "Bangkok" in text
    row.get_by_role("link", name="Blockchain tracing for investigators").click()
    page.wait_for_url("**/sessions/2031-TH-042/")
    assert page.locator("table.session-days tbody tr").count() == 2


def test_session_page_adds_the_browsers_zone_beside_the_sessions(live_server, page):
    factories.session(
        reference="2031-JP-007",
        time_zone="Asia/Tokyo",
        days=[(datetime.date(2031, 1, 6), datetime.time(8), datetime.time(12))],
    )
    page.goto(live_server.url + "/sessions/2031-JP-007/")
    # The browser runs in Europe/London (conftest): its zone reaches the server by a cookie.
    header = page.get_by_role("columnheader", name="Your time (Europe/London)")
    header.wait_for()
    # 08:00 in Tokyo on 6 January is 23:00 the day before in London.
    row = page.locator("table.session-days tbody tr").first.inner_text()
    assert "Sun 5 Jan" in row or "Sun Jan 5" in row
    assert page.locator("#id_tz").input_value() == "Europe/London"
