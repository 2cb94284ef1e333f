"""Test clients."""

import time

from django.test import Client


class MusterClient(Client):
    """Django's test client whose force_login() leaves the session as a real sign-in would.

    Staff must have passed a second factor in their session (accounts/mfa.py). A real sign-in of
    a user with an authenticator goes through allauth's MFA step, which records it in the
    session; force_login() skips every step, so it records the same for users who have an
    authenticator. Users without one (factories.user(..., mfa=False)) stay without the record and
    meet the MFA requirement exactly as in production.
    """

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        from allauth.account.internal.flows.login import (
            _AUTHENTICATION_METHODS_USER_SESSION_KEY,
            AUTHENTICATION_METHODS_SESSION_KEY,
        )
        from allauth.mfa.models import Authenticator

        from accounts.mfa import SECOND_FACTORS

        authenticator = Authenticator.objects.filter(
            user_id=user.pk, type__in=SECOND_FACTORS
        ).first()
        if authenticator is None:
            return
        session = self.session
        now = time.time()
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "password", "at": now, "email": user.email},
            {"method": "mfa", "at": now, "id": authenticator.pk, "type": authenticator.type},
        ]
        session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
        session.save()
