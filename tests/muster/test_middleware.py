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
