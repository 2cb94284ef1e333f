"""Security headers on each kind of response (accounts/middleware.py, settings)."""

import json
import re

import pytest
from django.urls import reverse

from accounts import roles
from certificates import services as certificate_services
from sessions.schedule import services as schedule_services
from tests import factories
from tests.muster.test_settings import SAMPLE_PRODUCTION_ENV, manage

pytestmark = pytest.mark.django_db

CSP = "Content-Security-Policy"


def directives(response):
    policy = {}
    for part in response[CSP].split(";"):
        name, *values = part.split()
        policy[name] = values
    return policy


def assert_strict_public_policy(response):
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    # Our own files, plus the response's nonce when the page has a script that carries it.
    assert policy["script-src"][0] == "'self'"
    for source in policy["script-src"][1:]:
        assert re.fullmatch(r"'nonce-[\w+/=-]+'", source)
    assert "'unsafe-inline'" not in response[CSP]
    assert "'unsafe-eval'" not in response[CSP]


def assert_common_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def assert_not_stored(response):
    cache_control = response.get("Cache-Control", "")
    assert "no-store" in cache_control
    assert "private" in cache_control


def assert_cacheable(response):
    assert "no-store" not in response.get("Cache-Control", "")
    assert "private" not in response.get("Cache-Control", "")


def test_a_public_page_for_anonymous_visitors(client):
    response = client.get(reverse("training_sessions:upcoming"))
    assert response.status_code == 200
    assert_strict_public_policy(response)
    assert_common_headers(response)
    assert_cacheable(response)


def test_the_catalogue_page_served_by_wagtail(client):
    response = client.get("/en/courses/")
    assert response.status_code == 200
    assert_strict_public_policy(response)
    assert_cacheable(response)


def test_scripts_carry_the_nonce_of_the_response_header(client):
    session = factories.session()
    response = client.get(reverse("training_sessions:detail", args=[session.reference]))
    assert len(directives(response)["script-src"]) == 2
    nonce = re.search(r"'nonce-([^']+)'", response[CSP]).group(1)
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert scripts
    for tag in scripts:
        assert f'nonce="{nonce}"' in tag
    # A fresh nonce for every response.
    again = client.get(reverse("training_sessions:detail", args=[session.reference]))
    assert nonce not in again[CSP]


def test_a_signed_in_officer_page_is_never_stored(client):
    client.force_login(factories.officer())
    response = client.get(reverse("my_training:index"))
    assert response.status_code == 200
    assert_strict_public_policy(response)
    assert_common_headers(response)
    assert_not_stored(response)


def test_a_public_page_seen_signed_in_is_not_stored_either(client):
    client.force_login(factories.officer())
    response = client.get(reverse("training_sessions:upcoming"))
    assert_not_stored(response)


def test_the_admin_has_its_own_documented_policy(client):
    client.force_login(factories.user(role=roles.PROGRAMME_LEAD))
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["default-src"] == ["'self'"]
    assert_common_headers(response)
    assert_not_stored(response)


def test_a_public_material_download(client):
    material = factories.material(access="public")
    response = client.get(reverse("courses:material_download", args=[material.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert_common_headers(response)
    assert "default-src 'self'" in response[CSP]


def test_a_material_downloaded_signed_in_is_not_stored(client):
    material = factories.material(access="verified")
    client.force_login(factories.officer())
    response = client.get(reverse("courses:material_download", args=[material.pk]))
    assert response.status_code == 200
    assert_common_headers(response)
    assert_not_stored(response)


def test_a_certificate_pdf_is_not_stored(client):
    factories.certificate_template()
    trainer = factories.trainer()
    session = factories.delivered_session(day_count=1, trainer=trainer)
    officer = factories.officer()
    factories.attendance(session_obj=session, officer_obj=officer, attended=1)
    certificate = certificate_services.issue_certificate(
        session=session, officer=officer, acting_user=trainer
    )
    client.force_login(officer)
    response = client.get(reverse("certificates:pdf", kwargs={"serial": certificate.serial}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert_common_headers(response)
    assert_not_stored(response)


def test_the_public_programme_feed_is_cacheable(client):
    response = client.get(reverse("training_sessions:programme_feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert_common_headers(response)
    # Calendar programs may keep it for a while (the view's own max-age); nothing forbids it.
    assert "no-store" not in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]


def test_a_personal_feed_is_never_stored_although_fetched_without_a_session(client):
    token = schedule_services.feed_token_for(user=factories.officer())
    response = client.get(token.get_absolute_url())
    assert response.status_code == 200
    assert_common_headers(response)
    assert_not_stored(response)


# --- Production settings (read from a process started with the production profile)


@pytest.fixture(scope="module")
def production():
    code = (
        "import json; from django.conf import settings as s;"
        "print(json.dumps({name: getattr(s, name) for name in ["
        "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD',"
        "'SECURE_SSL_REDIRECT', 'SECURE_PROXY_SSL_HEADER', 'SESSION_COOKIE_SECURE',"
        "'CSRF_COOKIE_SECURE', 'SECURE_CSP', 'MUSTER_ADMIN_CSP', 'SECURE_REFERRER_POLICY',"
        "'ALLAUTH_TRUSTED_PROXY_COUNT', 'ALLAUTH_TRUSTED_CLIENT_IP_HEADER',"
        "'MUSTER_IDLE_TIMEOUT_MINUTES']}))"
    )
    env = {
        **SAMPLE_PRODUCTION_ENV,
        "MUSTER_TRUSTED_PROXY_COUNT": "1",
        "MUSTER_IDLE_TIMEOUT_MINUTES": "20",
        "MUSTER_CSP_MEDIA_ORIGINS": "https://media.example.org",
    }
    result = manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


def test_production_reads_the_proxy_and_timeout_settings(production):
    assert production["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1
    assert production["ALLAUTH_TRUSTED_CLIENT_IP_HEADER"] is None
    assert production["MUSTER_IDLE_TIMEOUT_MINUTES"] == 20
    assert "https://media.example.org" in production["SECURE_CSP"]["img-src"]
    assert "https://media.example.org" in production["MUSTER_ADMIN_CSP"]["img-src"]


def test_production_sends_hsts_and_secure_cookies(client, settings, production):
    for name, value in production.items():
        setattr(settings, name, value)
    https = {"secure": True, "HTTP_X_FORWARDED_PROTO": "https"}
    plain = client.get(reverse("training_sessions:upcoming"))
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")

    response = client.get(reverse("account_login"), **https)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert_strict_public_policy(response)
    assert response.cookies["csrftoken"]["secure"]

    officer = factories.officer()
    signed_in = client.post(
        reverse("account_login"),
        {"login": officer.email, "password": "pw-test-1234"},
        **https,
    )
    assert signed_in.status_code == 302
    assert signed_in.cookies["sessionid"]["secure"]
    assert signed_in.cookies["sessionid"]["httponly"]
