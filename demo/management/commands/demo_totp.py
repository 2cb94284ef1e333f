import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand

from demo.guard import refuse_outside_demo_profiles
from demo.security import DEMO_TOTP_SECRET, otpauth_uri


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo staff logins (demo data only)."

    def handle(self, *args, **options):
        refuse_outside_demo_profiles()
        period = app_settings.TOTP_PERIOD
        now = time.time()
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(now) // period))
        self.stdout.write(f"{code}  (valid for {int(period - now % period)} more seconds)")
        self.stdout.write(f"Authenticator app: {otpauth_uri()}")
