"""One rate limiter for every project view: fixed windows counted in Django's cache.

The count lives in the cache (Redis in production), not in the process, so a limit holds across
app servers. cache.add() creates a window's key atomically and cache.incr() is atomic in Redis
and memcached, so concurrent requests are all counted.

The client address comes from allauth's own resolution (ALLAUTH_TRUSTED_PROXY_COUNT /
ALLAUTH_TRUSTED_CLIENT_IP_HEADER): one pair of settings decides what is trusted, for allauth's
login limits and ours alike. With neither set, X-Forwarded-For is ignored and REMOTE_ADDR used.

Every limit, ours and allauth's, answers 429 with Retry-After (allauth's through handler429
below, registered in muster/urls.py, and AccountAdapter.pre_authenticate for failed logins).
When the cache holding the counters cannot be reached (muster/cache.py), a limited action is
refused with 503 and Retry-After rather than run uncounted.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from muster.cache import OUTAGE_SECONDS, unavailable


class CounterUnavailable(Exception):
    """The cache holding the counters cannot be reached: the request cannot be counted."""


def client_ip(request):
    """The client's address: REMOTE_ADDR unless a trusted proxy header is configured."""
    from allauth.core.internal.ratelimit import get_ip

    # get_ip() goes through the account adapter and shortens IPv6 addresses to their network
    # prefix, exactly as allauth counts its own limits.
    return get_ip(request)


def hit(scope, ident, *, limit, window):
    """Count one request; False when `ident` has made more than `limit` in this window.
    Raises CounterUnavailable when the cache is down (the count would be a guess)."""
    if unavailable():
        raise CounterUnavailable
    slot = int(time.time() // window)
    key = f"muster:rl:{scope}:{ident}:{slot}"
    if cache.add(key, 1, timeout=window + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:
            # The key expired between add() and incr(): this request starts a new window.
            cache.add(key, 1, timeout=window + 5)
            count = 1
    if unavailable():
        raise CounterUnavailable
    return count <= limit


def too_many_requests(request, *, window, template="429.html", context=None):
    response = render(request, template, {"window": window, **(context or {})}, status=429)
    response["Retry-After"] = str(window)
    return response


def counter_unavailable(request):
    """503 + Retry-After: the limit cannot be counted, so the action is refused for now."""
    response = render(request, "503.html", {"retry_after": OUTAGE_SECONDS}, status=503)
    response["Retry-After"] = str(OUTAGE_SECONDS)
    return response


# allauth's actions by the URL name that consumes them, for handler429's Retry-After.
ALLAUTH_ACTIONS = {
    "account_login": "login",
    "account_signup": "signup",
    "account_reset_password": "reset_password",
    "account_reset_password_from_key": "reset_password_from_key",
    "account_reauthenticate": "reauthenticate",
    "account_change_password": "change_password",
    "account_email": "manage_email",
    "account_confirm_email": "confirm_email",
    "account_email_verification_sent": "confirm_email",
}


def allauth_window(request, action=None):
    """The longest window of the limits the refused action counts against (seconds); of all
    allauth's limits when the action is not known."""
    from allauth.core.internal.ratelimit import parse_rates

    limits = getattr(settings, "ACCOUNT_RATE_LIMITS", {}) or {}
    if action is None:
        match = getattr(request, "resolver_match", None)
        action = ALLAUTH_ACTIONS.get(match.url_name if match else None)
    actions = [action] if action in limits else list(limits)
    durations = [rate.duration for a in actions for rate in parse_rates(limits[a] or "")]
    return int(max(durations, default=60))


def handler429(request, exception=None, *, action=None):
    """allauth's refusals (settings.ROOT_URLCONF.handler429): 429 with Retry-After, or 503 when
    the refusal came from a cache that could not be reached. allauth calls it with the request
    only; the action is then read from the URL (the failed-login limit, the one refusal on a
    URL whose action differs, passes its own)."""
    if unavailable():
        return counter_unavailable(request)
    return too_many_requests(request, window=allauth_window(request, action))


def rate_limited(scope, *, setting, default, per="ip", template="429.html"):
    """Decorate a view: answer 429 once a client has asked more than the setting allows.

    `setting` names a (requests, window in seconds) pair. `per` says who is counted: "ip" (the
    client address), "user" (the signed-in person; for views behind login, where a classroom
    behind one address must not share a limit), or a function of the view's kwargs.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            limit, window = getattr(settings, setting, default)
            if per == "ip":
                ident = client_ip(request)
            elif per == "user":
                ident = (
                    f"user-{request.user.pk}"
                    if request.user.is_authenticated
                    else client_ip(request)
                )
            else:
                # Hashed: the key may be a secret (a feed token) and cache keys are not secret.
                ident = hashlib.sha256(str(per(**kwargs)).encode()).hexdigest()
            try:
                allowed = hit(scope, ident, limit=limit, window=window)
            except CounterUnavailable:
                return counter_unavailable(request)
            if not allowed:
                return too_many_requests(request, window=window, template=template)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
