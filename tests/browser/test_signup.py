"""Browser journey: an officer signs up choosing their agency, confirms the e-mail from the
outbox, and is verified at once on their agency's domain, or waits as pending otherwise."""

import re

import pytest

from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_up(page, live_server, email):
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("First name").fill("Mei")
    page.get_by_label("Last name").fill("Chan")
    page.get_by_label("Rank or title").fill("Inspector")
    page.locator("#id_email").fill(email)
    page.locator("#id_password1").fill("a-long-pass-phrase-42")
    page.locator("#id_password2").fill("a-long-pass-phrase-42")
    # The "not listed" fields hide once JavaScript runs; the filter box picks the agency.
    assert page.locator("[data-agency-request]").is_hidden()
    page.get_by_label("Filter agencies").fill("hong kong police")
    assert page.locator("#id_agency option:checked").inner_text() == "Hong Kong Police Force"
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/accounts/confirm-email/")


def confirm(page, mailoutbox):
    body = mailoutbox[-1].body
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/accounts/profile/")


@pytest.fixture
def hkpf():
    factories.agency(name="Hong Kong Police Force", domain="hkpf.example")
    factories.agency(name="Royal Thai Police", country="TH", domain="rtp.example")


def test_an_officer_on_the_agency_domain_is_verified_at_once(live_server, page, hkpf, mailoutbox):
    sign_up(page, live_server, "mei.chan@ccb.hkpf.example")
    confirm(page, mailoutbox)
    assert page.locator("[data-verification]").inner_text() == "Verified"
    assert page.get_by_text("Hong Kong Police Force").first.is_visible()


def test_an_officer_on_another_domain_sees_the_pending_state(live_server, page, hkpf, mailoutbox):
    sign_up(page, live_server, "mei.chan@mail.example")
    confirm(page, mailoutbox)
    assert page.locator("[data-verification]").inner_text() == "Pending"
    assert page.get_by_text("checks your sign-up by hand").is_visible()


def test_a_failed_sign_up_moves_focus_to_the_error_summary(page, live_server):
    """Sent empty, the form comes back with its error summary focused (js/error-summary.js),
    and the summary's link to a field takes focus to that field."""
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_selector("[data-error-summary]")
    page.wait_for_function("document.activeElement.matches('[data-error-summary]')")
    assert page.evaluate("document.activeElement.getAttribute('tabindex')") == "-1"
    page.locator("[data-error-summary] a[href='#id_email']").click()
    assert page.evaluate("document.activeElement.id") == "id_email"
