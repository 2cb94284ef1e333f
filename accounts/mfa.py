"""Two-factor authentication for staff: who must use it and whether this session did.

Staff (anyone who can open the Wagtail admin, and staff or superuser accounts) must be enrolled
(an authenticator app or a security key) AND have passed a second factor in the current session.
allauth itself asks enrolled people for a code at every login (its MFA login stage) and records
it in the session; checking that record here as well means no other way into a session (a login
path that skips the stage, a session created before enrolment) reaches a staff page without it.
"""

from allauth.account.internal.flows.login import (
    AUTHENTICATION_METHODS_SESSION_KEY,
    get_authentication_records,
    record_authentication,
)
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled

from .roles import ADMIN_ACCESS

# Recovery codes alone do not count as enrolment: they are the fallback for a lost device.
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def requires_mfa(user):
    """Everyone who reaches the admin or a staff view; officers may enable it but need not."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.is_staff or user.has_perm(".".join(ADMIN_ACCESS))


def is_enrolled(user):
    return is_mfa_enabled(user, SECOND_FACTORS)


def passed_mfa(request, user):
    """Whether this session's sign-in included a second factor (allauth's session record)."""
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


def record_enrolment(request, user, authenticator):
    """Setting up an authenticator proves the person holds it (allauth asks for a valid code or
    a key's signature first), so the session that did it counts as MFA-authenticated."""
    record_authentication(
        request, user, "mfa", id=authenticator.pk, type=authenticator.type, enrolled=True
    )


def forget_mfa(request, user):
    """After the last authenticator is removed, this session no longer counts as MFA-signed-in."""
    records = [
        record
        for record in get_authentication_records(request, user)
        if record.get("method") != "mfa"
    ]
    request.session[AUTHENTICATION_METHODS_SESSION_KEY] = records
