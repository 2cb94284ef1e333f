"""Serve anonymous GET pages from the shared cache.

A request is served from the cache only when it can carry no personal state: a GET with no
session cookie (so nobody is signed in and no message waits in the session) and no messages
cookie. A response is stored only when it is a complete 200 from one of the page views listed
in CACHED_VIEWS, for an anonymous visitor, sets no cookie (no session, no message, no
language), touched no session data and is not marked private or no-store: a page for a
signed-in person is never stored, whatever view built it. Cookies are never stored.

The one exception is the CSRF cookie: every page carries the language switcher, a POST form
with a CSRF token. The token is never stored: each one in the page is replaced by a
placeholder, and every hit gets a token of its own request (and CsrfViewMiddleware, outside
this one, sets that request's cookie). A page where a CSRF token or secret shows anywhere else
is not stored.

The key holds the version of the programme (versions.py), the host and scheme (pages show
absolute addresses), the active language, today's date in the site's zone (what counts as
upcoming), the viewer's time-zone cookie (the session page shows times in it), the path and
the query string.

Likewise the page's CSP nonce is stored as a placeholder and replaced, on every hit, by this
response's own nonce, so the header and the page always agree and no nonce is served twice.

Sits right after LocaleMiddleware, CommonMiddleware and CsrfViewMiddleware: a hit skips the
rest of the stack and the view; the headers the inner middleware set (X-Frame-Options and so
on) are stored with the page.
"""

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
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
CSRF_PLACEHOLDER = b"\x00muster-csrf-token\x00"
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]+)(")')
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
    if set(response.cookies) - {settings.CSRF_COOKIE_NAME}:
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


def _without_secrets(request, content):
    """The page with this request's CSP nonce and CSRF tokens replaced by placeholders, or None
    when a token or secret of this request would still be left in it."""
    nonce = _nonce(request)
    if nonce:
        content = content.replace(nonce, NONCE_PLACEHOLDER)
    content, replaced = CSRF_INPUT.subn(rb"\1" + CSRF_PLACEHOLDER + rb"\3", content)
    if content.count(b"csrfmiddlewaretoken") != replaced:
        return None
    secret = request.META.get("CSRF_COOKIE")
    if secret and secret.encode() in content:
        return None
    return content


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
        content = _without_secrets(request, response.content)
        if content is None:
            return
        headers = [
            (name, value) for name, value in response.items() if name.lower() not in NOT_STORED
        ]
        cache.set(key, (response.status_code, headers, content), TIMEOUT)

    def _replay(self, request, stored):
        status, headers, content = stored
        if NONCE_PLACEHOLDER in content:
            # Reading the nonce makes the CSP middleware put it in this response's header.
            content = content.replace(NONCE_PLACEHOLDER, str(request._csp_nonce).encode())
        if CSRF_PLACEHOLDER in content:
            # This request's token; CsrfViewMiddleware then sets its cookie.
            content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        # The page depends on whether a session exists; other caches must know.
        patch_vary_headers(response, ("Cookie",))
        response["X-Page-Cache"] = "hit"
        return response
