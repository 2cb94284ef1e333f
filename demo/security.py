"""Demo staff sign in with a second factor, as the site requires of staff (accounts/mfa.py).

Every demo staff login shares one fixed, published TOTP secret so a developer can sign in right
after `make run`: `python manage.py demo_totp` prints the current code, or the otpauth URI can be
added to any authenticator app. It is a demo secret: never load demo data into production.
"""

from urllib.parse import quote

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model

from accounts.mfa import requires_mfa

from . import data

DEMO_TOTP_SECRET = "MUSTERDEMOTOTPSECRETFORDEVONLY23"  # noqa: S105 - published demo secret


def otpauth_uri():
    return (
        f"otpauth://totp/{quote('Muster demo staff')}?secret={DEMO_TOTP_SECRET}"
        "&issuer=Muster&digits=6&period=30"
    )


def enrol_demo_staff(demo):
    User = get_user_model()
    for user in User.objects.filter(email__in=[row[1] for row in data.LOGINS]):
        if requires_mfa(user) and not Authenticator.objects.filter(user=user).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
