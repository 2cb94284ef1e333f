"""A fixed-window request counter per client, kept in Django's cache.

The count lives in the cache (Redis in production), not in the process, so the limit holds
across app servers. cache.add() creates the window's key atomically and cache.incr() is atomic
in Redis and memcached, so concurrent requests are all counted.
"""

import time

from django.conf import settings
from django.core.cache import cache


def client_ip(request):
    """The client's address. Behind a proxy, set MUSTER_CLIENT_IP_META to the META key the
    proxy fills in (e.g. "HTTP_X_REAL_IP"); a client-supplied header is never trusted by default.
    """
    meta_key = getattr(settings, "MUSTER_CLIENT_IP_META", None)
    if meta_key and request.META.get(meta_key):
        return request.META[meta_key].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def hit(scope, ident, *, limit, window):
    """Count one request; False when ident has made more than `limit` in this window."""
    slot = int(time.time() // window)
    key = f"ratelimit:{scope}:{ident}:{slot}"
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
