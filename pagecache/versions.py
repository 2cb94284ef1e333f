"""The version of what anonymous pages and feeds show, kept in the shared cache.

Every cached page and feed is stored under a key that includes the current version, so a new
version makes every earlier entry unreachable at once (it then expires on its own). The version
is bumped after the transaction that changed something commits (`transaction.on_commit`): a
request that reads the new version also reads the committed data, on SQLite and PostgreSQL
alike, and on every app server, since the version lives in the shared cache (Redis in
production). A request that read the old version stores its page under the old key, which no
later request reads.

What bumps it is listed in signals.py. One version for the whole public programme: a change
invalidates more than it strictly must, but never less.
"""

import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "pagecache:version"


def enabled():
    return getattr(settings, "MUSTER_PAGE_CACHE", True)


def _new_version():
    # Time first (readable when debugging), then randomness: two app servers bumping at once
    # never write the same value.
    return f"{time.time_ns():x}{secrets.token_hex(4)}"


def current():
    """The current version; a fresh one when the cache holds none (first use, evicted, or
    the cache is down, in which case nothing is stored under it either)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        candidate = _new_version()
        cache.add(VERSION_KEY, candidate, None)
        version = cache.get(VERSION_KEY) or candidate
    return version


def _bump_now():
    cache.set(VERSION_KEY, _new_version(), None)


class _Pending:
    """One bump for everything a transaction changed: every write registers a callback, the
    first to run after the commit bumps, the others find it done."""

    def __init__(self):
        self.done = False

    def __call__(self):
        if not self.done:
            self.done = True
            _bump_now()


def bump(using=None):
    """Invalidate every cached page and feed once the current transaction commits (at once
    outside a transaction)."""
    if not enabled():
        return
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        _bump_now()
        return
    # A callback per write (a savepoint rolled back discards its own), all sharing one marker
    # until one of them has run.
    pending = getattr(connection, "_pagecache_pending", None)
    if pending is None or pending.done:
        pending = connection._pagecache_pending = _Pending()
    transaction.on_commit(pending, using=using)
