"""One rate limiter for every project view: fixed windows counted in Django's cache.

The count lives in the cache (Redis in production), not in the process, so a limit holds across
app servers. cache.add() creates a window's key atomically and cache.incr() is atomic in Redis
and memcached, so concurrent requests are all counted.

The client address comes from allauth's own resolution (ALLAUTH_TRUSTED_PROXY_COUNT /
ALLAUTH_TRUSTED_CLIENT_IP_HEADER): one pair of settings decides what is trusted, for allauth's
login limits and ours alike. With neither set, X-Forwarded-For is ignored and REMOTE_ADDR used.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render


def client_ip(request):
    """The client's address: REMOTE_ADDR unless a trusted proxy header is configured."""
    from allauth.core.internal.ratelimit import get_ip

    # get_ip() goes through the account adapter and shortens IPv6 addresses to their network
    # prefix, exactly as allauth counts its own limits.
    return get_ip(request)


def hit(scope, ident, *, limit, window):
    """Count one request; False when `ident` has made more than `limit` in this window."""
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
    return count <= limit


def too_many_requests(request, *, window, template="429.html", context=None):
    response = render(request, template, {"window": window, **(context or {})}, status=429)
    response["Retry-After"] = str(window)
    return response


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
            if not hit(scope, ident, limit=limit, window=window):
                return too_many_requests(request, window=window, template=template)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
