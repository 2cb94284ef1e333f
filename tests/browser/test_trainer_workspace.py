"""Browser journey: a trainer signs in, finds their upcoming session on the admin dashboard's
"My sessions" panel with its seats taken, opens My sessions from the menu and goes to the
session's roll call in one click."""

import datetime

import pytest
from django.urls import reverse

from tests import factories
from tests.browser.helpers import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_trainer_reaches_roll_call_from_my_sessions(live_server, page):
    trainer = factories.trainer()
    day = datetime.date.today() + datetime.timedelta(days=3)
    session = factories.session(
        reference="WORK-1", days=[(day, datetime.time(9), datetime.time(17))], capacity=8
    )
    session.trainers.add(trainer)
    factories.registration(session_obj=session)
    sign_in(page, live_server, trainer)

    page.goto(live_server.url + reverse("wagtailadmin_home"))
    panel = page.locator("#my-sessions-section")
    assert "WORK-1" in panel.inner_text() and "1 / 8" in panel.inner_text()

    page.goto(live_server.url + reverse("my_sessions:index"))
    assert page.locator("h1").first.inner_text().strip() == "My sessions"
    page.get_by_role("link", name="Roll call").click()
    page.wait_for_url("**" + reverse("training_sessions:roll_call", args=[session.reference]))
