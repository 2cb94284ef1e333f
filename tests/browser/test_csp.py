"""Browser check: key public pages, the MFA set-up and the admin load without a single Content
Security Policy violation reported by the browser."""

import datetime

import pytest

from tests import factories
from tests.browser.helpers import sign_in, watch_csp_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _visit(page, url):
    page.goto(url)
    page.wait_for_load_state("load")


def test_public_pages_report_no_csp_violation(live_server, page):
    day = datetime.date.today() + datetime.timedelta(days=20)
    session = factories.session(days=[(day, datetime.time(9), datetime.time(17))])
    violations = watch_csp_violations(page)
    for path in [
        "/",
        "/courses/",
        session.course.url,
        "/sessions/",
        f"/sessions/{session.reference}/",
        "/verify/",
        "/accounts/login/",
        "/accounts/signup/",
    ]:
        _visit(page, live_server.url + path)
    assert violations == []
    # The nonce-carrying script on the session page did run (the policy did not just block it).
    _visit(page, f"{live_server.url}/sessions/{session.reference}/")
    assert page.evaluate("() => document.querySelectorAll('script[nonce]').length") >= 1
    assert page.evaluate("() => document.querySelector('script[nonce]').nonce") != ""


def test_an_inline_script_would_be_reported(live_server, page):
    """The watch above can fail: an injected inline script is refused and reported."""
    violations = watch_csp_violations(page)
    _visit(page, live_server.url + "/verify/")
    page.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.injected = 1'; document.body.append(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.injected") is None
    assert violations


def test_mfa_set_up_and_the_admin_report_no_csp_violation(live_server, page):
    trainer = factories.trainer(mfa=False)
    violations = watch_csp_violations(page)
    sign_in(page, live_server, trainer)
    _visit(page, live_server.url + "/admin/")
    assert "/accounts/2fa/" in page.url  # sent to set up a second factor first
    page.get_by_role("link", name="Activate").first.click()
    page.wait_for_load_state("load")
    if "/reauthenticate/" in page.url:
        page.fill("input[name=password]", "pw-test-1234")
        page.locator("form:has(input[name=password]) button[type=submit]").click()
        page.wait_for_load_state("load")
    assert "/accounts/2fa/totp/activate/" in page.url
    assert page.locator("img[src^='data:']").count() == 1  # the QR code, a data: URI
    assert violations == []

    # A sweep of the admin as a superuser: forms with date pickers and inline panels, the page
    # editor, uploads, reports, users.
    course = factories.course()
    admin = factories.user(is_superuser=True, is_staff=True)
    page.context.clear_cookies()
    # The page editor pings and releases its editing session in the background; on the test's
    # in-memory SQLite those requests race the page loads (a test-server limit, not a CSP one).
    page.route("**/admin/editing-sessions/**", lambda route: route.abort())
    sign_in(page, live_server, admin)
    for path in [
        "/admin/",
        "/admin/sessions/",
        "/admin/sessions/new/",
        f"/admin/pages/{course.pk}/edit/",
        "/admin/images/multiple/add/",
        "/admin/documents/multiple/add/",
        "/admin/reports/",
        "/admin/users/",
        "/admin/account/",
    ]:
        _visit(page, live_server.url + path)
        assert page.url == live_server.url + path
    assert violations == []

    # Staff views outside the admin run under the strict public policy.
    day = datetime.date.today()
    session = factories.session(days=[(day, datetime.time(0), datetime.time(23, 59))])
    enrolled = factories.trainer()
    session.trainers.add(enrolled)
    page.context.clear_cookies()
    sign_in(page, live_server, enrolled)
    for path in [
        f"/en/sessions/{session.reference}/roll-call/",
        f"/en/sessions/{session.reference}/days/{day.isoformat()}/qr/",
    ]:
        _visit(page, live_server.url + path)
        assert page.url.startswith(live_server.url + path)
    assert violations == []
