import io
import re

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from demo import data

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(demo_programme):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_demo_staff_sign_in_with_the_printed_demo_code(seeded):
    assert "otpauth://totp/" in seeded and "demo_totp" in seeded
    for role, email, password, _first, _last in data.LOGINS:
        if role == "Officer":
            continue
        client = Client()
        response = client.post(reverse("account_login"), {"login": email, "password": password})
        assert response["Location"] == reverse("mfa_authenticate"), email
        out = io.StringIO()
        call_command("demo_totp", stdout=out)
        code = re.match(r"\d{6}", out.getvalue()).group()
        assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
        assert client.get("/admin/").status_code == 200, email


def test_the_demo_officer_has_no_second_factor(seeded):
    officer = data.LOGINS[0]
    assert officer[0] == "Officer"
    assert not Authenticator.objects.filter(user__email=officer[1]).exists()
