"""Calendar files and feeds: one session's .ics, the public programme feed, a person's secret
feed and its settings page. Who sees the online join link is registration/rules.py's call."""

from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import languages
from accounts.ratelimit import rate_limited
from pagecache.feeds import cached_feed

from ..calendar import build_calendar, build_feed
from ..models import CalendarFeedToken, TrainingSession
from ..registration import rules
from . import selectors as schedule_selectors
from . import services as schedule_services

ICS_TYPE = "text/calendar; charset=utf-8"
# What reverse() leaves unquoted in a path.
SAFE = RFC3986_SUBDELIMS + "/~:@"


def _ics_headers(filename):
    return {
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, max-age=300",
    }


def _ics_response(calendar, filename):
    response = HttpResponse(calendar.to_ical(), content_type=ICS_TYPE)
    for name, value in _ics_headers(filename).items():
        response[name] = value
    return response


def _base_url(request):
    return request.build_absolute_uri("/")


def session_calendar(request, reference):
    """The .ics file of one published session. The join link only for its confirmed
    registrants and its trainers."""
    try:
        session = schedule_selectors.for_calendar(TrainingSession.objects.published()).get(
            reference=reference
        )
    except TrainingSession.DoesNotExist:
        raise Http404 from None
    link = rules.join_link_for_user(request.user, session)
    calendar = build_calendar(
        [session],
        base_url=_base_url(request),
        name=f"{session.reference} · {session.course.title}",
        join_link_for=lambda _session: bool(link),
    )
    return _ics_response(calendar, f"{session.reference}.ics")


def programme_feed(request):
    """The public feed of the programme's scheduled sessions. Never carries join links.

    English, whatever the browser or cookie says: calendar services fetch it for many people at
    once. `?lang=th` (any offered language) asks for another; anything else is English.

    Built once per change of the programme and kept in the shared cache (pagecache/feeds.py):
    a conditional GET that still matches is answered 304 without a query."""
    code = request.GET.get("lang", "")
    if code not in languages.offered_languages():
        code = settings.LANGUAGE_CODE
    base_url = _base_url(request)

    def build():
        # Written directly (calendar.build_feed): thousands of sessions in one file, no join
        # link, no reminder (subscribers asked for the programme, not an alarm per session).
        with translation.override(code):
            rows, days_of = schedule_selectors.programme_feed_rows()
            placeholder = "muster-reference-placeholder"
            path = reverse("training_sessions:detail", kwargs={"reference": placeholder})
            return build_feed(
                rows,
                days_of,
                base_url=base_url,
                name=settings.MUSTER_PROGRAMME_NAME,
                session_path=lambda reference: path.replace(
                    placeholder, quote(reference, safe=SAFE)
                ),
            )

    return cached_feed(
        request,
        ["programme", code, base_url],
        build,
        content_type=ICS_TYPE,
        headers=_ics_headers("programme.ics"),
    )


# Counted per address and per token: calendar services fetch many people's feeds from a few
# shared addresses, so the per-address limit is generous; the per-token one stops one leaked or
# misconfigured feed from being fetched in a loop.
@rate_limited("feed-ip", setting="MUSTER_FEED_IP_RATE_LIMIT", default=(600, 3600), per="ip")
@rate_limited(
    "feed-token",
    setting="MUSTER_FEED_RATE_LIMIT",
    default=(60, 3600),
    per=lambda token, **kwargs: token,
)
def personal_feed(request, token):
    """A person's secret feed: their confirmed sessions and the sessions they train, with join
    links. The token is the only credential (calendar programs cannot sign in).

    Built once per change and kept in the server's cache under its token (pagecache/feeds.py):
    a conditional GET that still matches costs the one query checking the token."""
    try:
        feed = CalendarFeedToken.objects.select_related("user").get(token=token)
    except CalendarFeedToken.DoesNotExist:
        raise Http404 from None
    if not feed.user.is_active:
        raise Http404
    base_url = _base_url(request)

    def build():
        # In its owner's language: a calendar app fetches it with no language of its own.
        with languages.override_for(feed.user):
            return build_calendar(
                schedule_selectors.personal_feed_sessions(feed.user),
                base_url=base_url,
                name=_("My training sessions"),
                # The feed holds only sessions the person has a seat on or trains (selectors),
                # the two readers rules.join_link() shows the link to.
                join_link_for=lambda session: bool(rules.join_link(session, seat=True)),
            ).to_ical()

    response = cached_feed(
        request,
        ["personal", feed.token, str(feed.user_id), languages.language_for(feed.user), base_url],
        build,
        content_type=ICS_TYPE,
        headers={**_ics_headers("my-sessions.ics"), "X-Robots-Tag": "noindex"},
    )
    # Join links and a personal schedule: no shared cache may keep a copy.
    patch_cache_control(response, private=True, no_store=True)
    return response


def subscribe_links(feed_url, name):
    """One-click subscriptions to an https feed address: webcal:// for the calendar program of
    the device (Apple Calendar, Outlook on the desktop, Thunderbird), and the pages of Google
    Calendar and Outlook on the web that add a calendar by address."""
    webcal = "webcal://" + feed_url.split("://", 1)[-1]
    return {
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/render?" + urlencode({"cid": webcal}),
        "outlook": "https://outlook.live.com/calendar/0/addfromweb?"
        + urlencode({"url": feed_url, "name": name}),
    }


@login_required
def feed_settings(request):
    token = schedule_services.feed_token_for(user=request.user)
    feed_url = request.build_absolute_uri(token.get_absolute_url())
    programme_feed_url = request.build_absolute_uri(reverse("feeds:programme"))
    return render(
        request,
        "training_sessions/feed_settings.html",
        {
            "feed_url": feed_url,
            "token": token,
            "programme_feed_url": programme_feed_url,
            "personal_links": subscribe_links(feed_url, _("My training sessions")),
            "programme_links": subscribe_links(programme_feed_url, settings.MUSTER_PROGRAMME_NAME),
        },
    )


@login_required
@require_POST
def regenerate_feed(request):
    schedule_services.regenerate_feed_token(user=request.user, acting_user=request.user)
    messages.success(
        request, _("Your feed has a new address. The old one no longer works: subscribe again.")
    )
    return redirect("training_sessions:feed_settings")
