"""Calendar feeds built once per change, kept in the shared cache with their ETag.

`cached_feed` looks the feed up under the programme's version (versions.py) and the parts that
make it differ (language, address, owner): a conditional GET whose ETag or date still matches
is answered 304 from that entry, without building or querying anything.
"""

import hashlib
import time

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from . import versions

TIMEOUT = 3600  # seconds: a bound on anything missed, never the means of freshness


def _key(parts):
    text = "\n".join([versions.current(), *parts])
    return "pagecache:feed:" + hashlib.sha256(text.encode()).hexdigest()


def entry_for(parts, build):
    """(etag, last_modified, body) of the feed: from the cache, else built by `build()`
    (bytes) and stored."""
    use_cache = versions.enabled()
    key = _key(parts) if use_cache else None
    entry = cache.get(key) if use_cache else None
    if entry is None:
        body = build()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        entry = (etag, int(time.time()), body)
        if use_cache:
            cache.set(key, entry, TIMEOUT)
    return entry


def cached_feed(request, parts, build, *, content_type, headers):
    """The feed's response: 304 when the request's validators match, else the body."""
    etag, last_modified, body = entry_for(parts, build)
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    for name, value in headers.items():
        response[name] = value
    return response
