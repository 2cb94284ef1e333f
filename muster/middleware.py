"""Project-wide request hygiene that belongs to no single app."""

from django.http import HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, get_language_from_path
from django.utils.translation import gettext as _


def _has_nul(values):
    return any("\x00" in value for value in values)


def _has_nul_in(querydict):
    return any("\x00" in key or _has_nul(values) for key, values in querydict.lists())


class RejectNulMiddleware:
    """Answer 400 to a request with a NUL character in its path, query string, form fields or
    cookies. No honest client sends one, and PostgreSQL refuses NUL in text outright: a NUL in a
    session reference, a search box or even the session cookie would otherwise reach a database
    lookup and end as a server error instead of a clear refusal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        suspect = (
            "\x00" in request.path
            or _has_nul(request.COOKIES.values())
            or _has_nul_in(request.GET)
            or (request.method == "POST" and _has_nul_in(request.POST))
        )
        if suspect:
            return HttpResponseBadRequest(
                _("The request contains a character that is never valid here (NUL)."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


# Form bodies Muster reads: HTML forms post these, always as UTF-8 (every page is UTF-8).
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _declared_charset(content_type):
    for param in content_type.split(";")[1:]:
        name, _sep, value = param.strip().partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


class RejectForeignCharsetMiddleware:
    """Answer 400 to a form POST declaring a charset other than UTF-8 (latin-1, utf-16...).

    Browsers post our forms as UTF-8, the page's encoding. A body declared in another charset
    is crafted; left to run, it reached code that reads request.POST in that charset (or
    Django's refusal of it) deep inside the middleware stack and the CSRF check, and ended as a
    server error instead of a clear refusal. Checked first, from the header alone, before
    anything reads the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method not in ("GET", "HEAD", "OPTIONS") and content_type.lower().startswith(
            FORM_TYPES
        ):
            charset = _declared_charset(content_type)
            # Exactly "utf-8", as Django itself requires of url-encoded bodies (RFC 1866).
            if charset is not None and charset != "utf-8":
                return HttpResponseBadRequest(
                    _("Forms must be sent as UTF-8; this one declared another character set."),
                    content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, except that a 404 from a page outside the language prefix
    (accounts, verification codes, downloads, feeds) stays a 404.

    Django redirects any unprefixed 404 to the same path under the language prefix when that
    path is valid, and Wagtail's page serving under the prefix makes every path valid: another
    officer's profile or an unknown verification code answered with a redirect to a second
    404 instead of a plain one. Only an address that resolves to nothing unprefixed (an old
    /courses/... link) is sent to its language-prefixed page."""

    def process_response(self, request, response):
        if response.status_code == 404 and not get_language_from_path(request.path_info):
            urlconf = getattr(request, "urlconf", None)
            try:
                resolve(request.path_info, urlconf)
            except Resolver404:
                pass
            else:
                patch_vary_headers(response, ("Accept-Language",))
                response.headers.setdefault("Content-Language", get_language())
                return response
        return super().process_response(request, response)
