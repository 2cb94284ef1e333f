"""A NUL character anywhere a request carries text is refused with 400 before any view runs."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_nul_in_the_path_is_refused(client):
    response = client.get("/en/sessions/T-%00/")
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_nul_in_the_query_string_is_refused(client):
    assert client.get(reverse("training_sessions:upcoming"), {"q": "a\x00b"}).status_code == 400
    assert client.get(reverse("training_sessions:upcoming") + "?a%00=1").status_code == 400


def test_nul_in_a_form_field_is_refused_and_nothing_is_written(client):
    from sessions.models import Registration

    session = factories.session()
    officer = factories.officer()
    client.force_login(officer)
    response = client.post(
        reverse("training_sessions:register", args=[session.reference]), {"note": "x\x00"}
    )
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_nul_in_a_cookie_is_refused(client):
    client.cookies["sessionid"] = "abcdefgh\x00"
    assert client.get(reverse("training_sessions:upcoming")).status_code == 400


def test_ordinary_requests_pass(client):
    assert client.get(reverse("training_sessions:upcoming"), {"q": "Zürich"}).status_code == 200


FORM_URLS = ["/", "/accounts/login/", "/accounts/signup/", "/sessions/", "/admin/"]


@pytest.mark.parametrize(
    "charset", ["latin-1", "utf-16", "ISO-8859-1", "utf-16le", "utf8", "nonsense"]
)
@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "multipart/form-data; boundary=BB"]
)
def test_a_form_declaring_another_charset_is_refused_with_400(charset, content_type):
    """With a CSRF cookie and CSRF checks on, as a browser-less attacker would send it."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32
    body = "login=x\u00e9&csrfmiddlewaretoken=" + "a" * 32
    for url in FORM_URLS:
        response = client.generic(
            "POST",
            url,
            body.encode("utf-16" if "16" in charset else "latin-1"),
            content_type=f"{content_type}; charset={charset}",
        )
        assert response.status_code == 400, url
        assert "UTF-8" in response.content.decode()


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", '"utf-8"'])
def test_a_utf8_form_is_read_as_usual(client, charset):
    response = client.generic(
        "POST",
        "/accounts/login/",
        b"login=x%40y.example&password=z",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code == 200  # the form, with its error: read and answered
