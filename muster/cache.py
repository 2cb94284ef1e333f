"""The production cache (Redis), made to fail soft: a Redis outage must not take pages down.

Pages use the cache only to go faster (sessions are cached_db: the database holds them), so
when Redis cannot be reached every cache call answers as a miss and the page is built from the
database. Rate limits are different: a counter that cannot be read must not let an action run
unlimited. They ask `unavailable()` and refuse with 503 and Retry-After (accounts/ratelimit.py).

After a failure the cache is considered down for OUTAGE_SECONDS and not tried at all in that
time, so a page does not wait for a connection timeout on every cache call during an outage.
The first call after that tries Redis again.
"""

import functools
import logging
import threading
import time

from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("muster.cache")

OUTAGE_SECONDS = 10
FAILURES = (ConnectionInterrupted, RedisConnectionError, RedisTimeoutError, OSError)

# What each call answers while Redis is unreachable: a miss, or "nothing written".
_MISS = object()
FALLBACKS = {
    "get": _MISS,  # the caller's default
    "get_many": {},
    "set": False,
    "add": False,
    "set_many": [],
    "delete": False,
    "delete_many": None,
    "delete_pattern": 0,
    "has_key": False,
    "touch": False,
    "expire": False,
    "persist": False,
    "ttl": 0,
    "clear": None,
    "keys": [],
    "incr_version": None,
}


class _Outage:
    """Process-wide: when the cache last failed (shared by the threads of one app server)."""

    def __init__(self):
        self.until = 0.0
        self.lock = threading.Lock()

    def active(self):
        return time.monotonic() < self.until

    def begin(self, error):
        with self.lock:
            starting = not self.active()
            self.until = time.monotonic() + OUTAGE_SECONDS
        if starting:
            logger.error("Cache unreachable, serving without it for %ss: %r", OUTAGE_SECONDS, error)


def _fail_soft(name, fallback):
    method = getattr(RedisCache, name)

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if not self._outage.active():
            try:
                return method(self, *args, **kwargs)
            except FAILURES as error:
                self._outage.begin(error)
        if fallback is _MISS:  # get(key, default=None, ...)
            return kwargs.get("default", args[1] if len(args) > 1 else None)
        return fallback

    return wrapper


def _fail_counting(name):
    """incr/decr: no sensible value to invent. Raise ValueError, as for a missing key, which
    counters already handle (accounts/ratelimit.py then sees `unavailable()`)."""
    method = getattr(RedisCache, name)

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if not self._outage.active():
            try:
                return method(self, *args, **kwargs)
            except FAILURES as error:
                self._outage.begin(error)
        raise ValueError("The cache is unavailable.")

    return wrapper


class FailSoftRedisCache(RedisCache):
    """django-redis, with every call answering as a miss while Redis is unreachable."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._outage = _Outage()

    def unavailable(self):
        """True while the cache is considered down: counters kept in it cannot be trusted."""
        return self._outage.active()

    for _name, _fallback in FALLBACKS.items():
        locals()[_name] = _fail_soft(_name, _fallback)
    incr = _fail_counting("incr")
    decr = _fail_counting("decr")
    del _name, _fallback


def unavailable(cache=None):
    """Whether the cache (the default one unless given) is known to be down right now."""
    if cache is None:
        from django.core.cache import cache
    check = getattr(cache, "unavailable", None)
    return bool(check and check())
