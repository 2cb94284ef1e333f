"""Project-wide request hygiene that belongs to no single app."""

from django.http import HttpResponseBadRequest
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
