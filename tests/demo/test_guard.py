"""demo/guard.py: the demo's commands refuse to run where demo data is not allowed."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("command", ["seed_demo", "demo_totp"])
def test_demo_commands_refuse_without_the_setting(settings, command):
    settings.MUSTER_DEMO_DATA_ALLOWED = False
    out = io.StringIO()
    with pytest.raises(CommandError, match="only for the dev and test settings"):
        call_command(command, stdout=out)
    assert out.getvalue() == ""  # no code, no password printed
    assert not User.objects.exists()  # nothing loaded


def test_demo_totp_runs_where_demo_data_is_allowed(settings):
    settings.MUSTER_DEMO_DATA_ALLOWED = True
    out = io.StringIO()
    call_command("demo_totp", stdout=out)
    assert "otpauth://" in out.getvalue()
