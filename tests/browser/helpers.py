"""Shared steps for browser journeys."""

from tests import factories

CSP_MARKER = "Content Security Policy"


def sign_in(page, live_server, user, password="pw-test-1234"):
    """Sign in through allauth's form; staff then type the current code of their authenticator
    app (the factories give staff a TOTP authenticator, as the site requires). `user` may be
    given as their e-mail address."""
    if isinstance(user, str):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.get(email=user)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/2fa/authenticate/" in page.url:
        page.fill("input[name=code]", factories.totp_code(user))
        page.locator("form:has(input[name=code]) button[type=submit]").click()
        page.wait_for_url(lambda url: "/accounts/2fa/authenticate/" not in url)


def watch_csp_violations(page):
    """A list that fills with every Content Security Policy violation the browser reports."""
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}") if CSP_MARKER in message.text else None
        ),
    )
    return violations
