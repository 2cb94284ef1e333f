"""Receivers keeping the session's MFA state and idle clock in step with allauth's events."""

import time

from django.conf import settings

from . import mfa

LAST_ACTIVITY_SESSION_KEY = "muster_last_activity"


def idle_timeout_seconds():
    return int(settings.MUSTER_IDLE_TIMEOUT_MINUTES) * 60


def start_idle_clock(sender, request, user, **kwargs):
    # Set at sign-in, so the first request after it does not have to write the session.
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY_SESSION_KEY] = int(time.time())
        request.session.set_expiry(idle_timeout_seconds())


def authenticator_added(sender, request, user, authenticator, **kwargs):
    if authenticator.type in mfa.SECOND_FACTORS and request is not None:
        mfa.record_enrolment(request, user, authenticator)


def authenticator_removed(sender, request, user, authenticator, **kwargs):
    if request is not None and not mfa.is_enrolled(user):
        mfa.forget_mfa(request, user)


# Set by activate_preferred_language, read by PreferredLanguageMiddleware on the way out.
SIGNED_IN_LANGUAGE_ATTR = "_muster_signed_in_language"


def activate_preferred_language(sender, request, user, **kwargs):
    """At sign-in, switch to the person's remembered language (cookie set on the response)."""
    code = getattr(user, "preferred_language", "")
    if request is not None and code:
        from django.utils import translation

        translation.activate(code)
        request.LANGUAGE_CODE = code
        setattr(request, SIGNED_IN_LANGUAGE_ATTR, code)
