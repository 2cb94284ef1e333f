"""Browser journey on a 390 by 844 phone: a signed-in officer opens the header's menu to reach
My training, then cancels a registration through the confirmation page, which names the
deadline; the seat is freed only after they confirm."""

import datetime

import pytest
from django.urls import reverse

from sessions.models import Registration
from tests import factories
from tests.browser.helpers import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_officer_uses_the_menu_and_cancels_after_confirming_on_a_phone(live_server, page):
    day = datetime.date.today() + datetime.timedelta(days=14)
    session = factories.session(
        reference="PHONE-1", days=[(day, datetime.time(9), datetime.time(17))], time_zone="UTC"
    )
    registration = factories.registration(session_obj=session)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, registration.officer)

    page.goto(live_server.url + session.get_absolute_url())
    menu = page.get_by_role("button", name="Menu")
    my_training = page.get_by_role("link", name="My training")
    assert menu.is_visible() and not my_training.is_visible()
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    assert my_training.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    menu.click()
    assert not my_training.is_visible()

    assert page.get_by_text("You can cancel until").is_visible()
    page.get_by_role("link", name="Cancel my registration…").click()
    page.wait_for_url(
        "**" + reverse("training_sessions:cancel_registration", args=[registration.pk])
    )
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    page.get_by_role("button", name="Yes, cancel my registration").click()
    page.wait_for_url("**" + session.get_absolute_url() + "*")
    assert page.get_by_text("The registration is cancelled.").is_visible()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_the_desktop_header_shows_its_links_without_a_menu_button(live_server, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + reverse("training_sessions:upcoming"))
    assert not page.get_by_role("button", name="Menu").is_visible()
    assert page.get_by_role("link", name="Courses").is_visible()


def test_officer_sees_their_waitlist_position_on_a_phone(live_server, page):
    day = datetime.date.today() + datetime.timedelta(days=20)
    session = factories.session(
        reference="PHONE-FULL",
        capacity=1,
        days=[(day, datetime.time(9), datetime.time(17))],
    )
    factories.registration(session_obj=session)
    waiting = factories.registration(session_obj=session, status="waitlisted")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, waiting.officer)
    page.goto(live_server.url + reverse("my_training:index"))
    section = page.locator("section[aria-labelledby=my-waitlisted]")
    assert "PHONE-FULL" in section.inner_text()
    assert "number 1 on the waitlist" in section.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
