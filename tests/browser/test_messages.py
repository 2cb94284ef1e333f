"""Browser journey (issue 19): a trainer writes to the absentees of day 2 from the roster,
previews who it reaches, sends it; the absent officer reads it on My training, the one who was
there does not."""

import datetime

import pytest
from django.urls import reverse

from tests import factories
from tests.browser.helpers import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_trainer_writes_to_the_absentees_of_day_two_and_the_officer_reads_it(live_server, page):
    trainer = factories.trainer()
    first = datetime.date.today() - datetime.timedelta(days=3)
    second = first + datetime.timedelta(days=1)
    session = factories.session(
        reference="MSG-1",
        days=[(d, datetime.time(9), datetime.time(17)) for d in (first, second)],
    )
    session.trainers.add(trainer)
    there = factories.officer(first_name="Ann", last_name="There")
    away = factories.officer(first_name="Bob", last_name="Away")
    factories.attended(session_obj=session, officer_obj=there, statuses=("present", "present"))
    factories.attended(session_obj=session, officer_obj=away, statuses=("present", "absent"))

    sign_in(page, live_server, trainer)
    page.goto(live_server.url + reverse("training_sessions:roster", args=[session.reference]))
    page.get_by_role("link", name="Write to participants").click()
    page.get_by_label("Absent on a day").check()
    page.get_by_label("Day (for present or absent)").select_option(second.isoformat())
    page.locator("input[name=subject]").fill("Day 2 materials")
    page.locator("textarea[name=body]").fill(
        "We missed you on day 2: the slides are on the course page."
    )
    page.get_by_role("button", name="Preview").click()
    assert "This message reaches 1 person" in page.locator(".message-preview").inner_text()
    assert "Bob Away" in page.locator(".preview-recipients").inner_text()
    page.get_by_role("button", name="Send to 1 person").click()
    page.wait_for_url("**" + reverse("communications_admin:session_messages", args=[session.pk]))
    assert "Day 2 materials" in page.locator("main").inner_text()

    page.context.clear_cookies()
    sign_in(page, live_server, away)
    page.goto(live_server.url + reverse("my_training:index"))
    assert "the slides are on the course page" in page.locator("main").inner_text()

    page.context.clear_cookies()
    sign_in(page, live_server, there)
    page.goto(live_server.url + reverse("my_training:index"))
    assert "Day 2 materials" not in page.locator("main").inner_text()
