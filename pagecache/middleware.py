"""Serve anonymous GET pages from the shared cache.

A request is served from the cache only when it can carry no personal state: a GET with no
session cookie (so nobody is signed in and no message waits in the session) and no messages
cookie. A response is stored only when it is a complete 200 from one of the page views listed
in CACHED_VIEWS, for an anonymous visitor, sets no cookie (no session, no CSRF token, no
message, no language), touched no session data and is not marked private or no-store: a page
for a signed-in person is never stored, whatever view built it.

The key holds the version of the programme (versions.py), the host and scheme (pages show
absolute addresses), the active language, today's date in the site's zone (what counts as
upcoming), the viewer's time-zone cookie (the session page shows times in it), the path and
the query string.

The page's CSP nonce is stored as a placeholder and replaced, on every hit, by this response's
own nonce, so the header and the page always agree and no nonce is ever served twice.

Sits right after LocaleMiddleware and CommonMiddleware: a hit skips the rest of the stack and
the view; the headers the inner middleware set (X-Frame-Options and so on) are stored with the
page.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from . import versions

# URL names (namespace:name) whose anonymous responses may be stored.
CACHED_VIEWS = {
    "wagtail_serve",
    "training_sessions:upcoming",
    "training_sessions:detail",
    "certificates:verify_form",
}
TIMEOUT = 600  # seconds: a bound on anything missed, never the means of freshness
NONCE_PLACEHOLDER = b"\x00muster-csp-nonce\x00"
VIEWER_ZONE_COOKIE = "muster_tz"
# Headers set by the middleware outside this one on every response, hit or miss.
NOT_STORED = {"set-cookie", "content-length"}


def eligible(request):
    return (
        versions.enabled()
        and request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and getattr(settings, "MESSAGE_COOKIE_NAME", "messages") not in request.COOKIES
    )


def key_for(request):
    parts = "\n".join(
        [
            versions.current(),
            request.scheme,
            request.get_host(),
            get_language() or "",
            timezone.localdate().isoformat(),
            request.COOKIES.get(VIEWER_ZONE_COOKIE, ""),
            request.path,
            request.META.get("QUERY_STRING", ""),
        ]
    )
    return "pagecache:page:" + hashlib.sha256(parts.encode()).hexdigest()


def _view_name(request):
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else None


def storable(request, response):
    if response.status_code != 200 or response.streaming:
        return False
    if response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if "private" in cache_control or "no-store" in cache_control or "no-cache" in cache_control:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    session = getattr(request, "session", None)
    if session is not None and (session.modified or not session.is_empty()):
        return False
    return _view_name(request) in CACHED_VIEWS


def _nonce(request):
    nonce = getattr(request, "_csp_nonce", None)
    return str(nonce).encode() if nonce else None


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not eligible(request):
            return self.get_response(request)
        key = key_for(request)
        stored = cache.get(key)
        if stored is not None:
            return self._replay(request, stored)
        response = self.get_response(request)
        if storable(request, response):
            self._store(request, key, response)
        return response

    def _store(self, request, key, response):
        content = response.content
        nonce = _nonce(request)
        if nonce:
            content = content.replace(nonce, NONCE_PLACEHOLDER)
        headers = [
            (name, value) for name, value in response.items() if name.lower() not in NOT_STORED
        ]
        cache.set(key, (response.status_code, headers, content), TIMEOUT)

    def _replay(self, request, stored):
        status, headers, content = stored
        if NONCE_PLACEHOLDER in content:
            # Reading the nonce makes the CSP middleware put it in this response's header.
            content = content.replace(NONCE_PLACEHOLDER, str(request._csp_nonce).encode())
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        # The page depends on whether a session exists; other caches must know.
        patch_vary_headers(response, ("Cookie",))
        response["X-Page-Cache"] = "hit"
        return response
