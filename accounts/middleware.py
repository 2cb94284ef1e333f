"""Request-wide account and header rules: idle sign-out, MFA for staff, no-store and the
admin's Content Security Policy."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from . import mfa
from .signals import LAST_ACTIVITY_SESSION_KEY, idle_timeout_seconds
from .zones import zone_for

# The session's idle clock is written at most this often, so a busy page does not write the
# session on every request; the timeout is therefore exact to within this many seconds.
IDLE_CLOCK_RESOLUTION_SECONDS = 60

# What a staff member without a second factor may still open: setting one up, re-entering
# their password first when allauth asks for it, and signing out.
MFA_SETUP_URL_NAMES = {
    "account_logout",
    "account_reauthenticate",
    "mfa_index",
    "mfa_activate_totp",
    "mfa_reauthenticate",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_list_webauthn",
    "mfa_add_webauthn",
}


class ProfileTimeZoneMiddleware:
    """Times on the pages of a signed-in person read in their profile's zone (My training, My
    calendar, message dates); without one, the site's (UTC). A session's own schedule is still
    written in the session's zone by the templates that say so."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        zone = zone_for(user) if user is not None and user.is_authenticated else ""
        if zone:
            timezone.activate(zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class IdleTimeoutMiddleware:
    """Sign a person out once they have made no request for MUSTER_IDLE_TIMEOUT_MINUTES."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            timeout = idle_timeout_seconds()
            last = request.session.get(LAST_ACTIVITY_SESSION_KEY)
            if last is not None and now - last > timeout:
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after %(minutes)d minutes without activity.")
                    % {"minutes": timeout // 60},
                )
            elif last is None or now - last >= IDLE_CLOCK_RESOLUTION_SECONDS:
                request.session[LAST_ACTIVITY_SESSION_KEY] = now
                # The stored session ends with the idle time too, not two weeks later.
                request.session.set_expiry(timeout)
        return self.get_response(request)


class StaffMFAMiddleware:
    """Staff reach nothing but MFA set-up until their session has passed a second factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or mfa.passed_mfa(request, user):
            return None
        if not mfa.requires_mfa(user):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in MFA_SETUP_URL_NAMES:
            return None
        query = urlencode({"next": request.get_full_path()})
        if mfa.is_enrolled(user):
            # Enrolled but this session skipped the second factor: ask for it now.
            return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
        messages.warning(
            request,
            _(
                "Your role gives you access to staff pages, which need two-factor "
                "authentication. Set up an authenticator app or a security key to continue."
            ),
        )
        return redirect(reverse("mfa_index"))


class AdminIsForStaffMiddleware:
    """A signed-in person without admin access who opens an admin URL is told the admin is for
    staff (403). Wagtail would send them to the login form, and allauth sends a signed-in person
    straight back to `next`: the browser looped between the two."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = SimpleLazyObject(_admin_prefix)

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and request.path.startswith(str(self.admin_prefix))
            and not user.has_perm("wagtailadmin.access_admin")
        ):
            return render(request, "403_admin.html", status=403)
        return self.get_response(request)


def _admin_prefix():
    return reverse("wagtailadmin_home")


class SecurityHeadersMiddleware:
    """Pages for a signed-in person are never stored by a browser or proxy cache; the Wagtail
    admin gets its own, looser Content Security Policy (MUSTER_ADMIN_CSP, see
    docs/operations.md)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = SimpleLazyObject(_admin_prefix)

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        if request.path.startswith(str(self.admin_prefix)) and not hasattr(response, "_csp_config"):
            response._csp_config = settings.MUSTER_ADMIN_CSP
        return response


class PreferredLanguageMiddleware:
    """After a sign-in, remember the person's preferred language in the language cookie and
    send them on in it: a redirect to a language-prefixed page is re-addressed to their
    language (accounts/signals.py activate_preferred_language marks the request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.urls import translate_url

        from .signals import SIGNED_IN_LANGUAGE_ATTR

        response = self.get_response(request)
        code = getattr(request, SIGNED_IN_LANGUAGE_ATTR, None)
        if code:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                code,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
            location = response.get("Location")
            if location and location.startswith("/"):
                response["Location"] = translate_url(location, code)
        return response
