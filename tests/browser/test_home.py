"""Browser journey: a visitor opens the home page and the catalogue of the demo programme."""

import pytest
from django.core.management import call_command

from demo import data

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_home_and_catalogue_show_the_demo_courses(live_server, page):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    page.goto(live_server.url + "/")
    assert page.locator("h1").first.inner_text() == "Law-enforcement training"
    featured = page.locator(".course-card")
    assert featured.count() >= 6

    page.get_by_role("link", name="See the whole catalogue").click()
    page.wait_for_url("**/courses/")
    cards = page.locator(".course-card h3")
    titles = set(cards.all_inner_texts())
    assert {row[1] for row in data.COURSES} == titles

    page.get_by_role("link", name="Advanced virtual-asset investigations").click()
    assert page.locator(".course-code").inner_text() == "VAI-201"
    assert page.get_by_text("Learning objectives").is_visible()
