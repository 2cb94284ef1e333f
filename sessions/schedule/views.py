"""Public pages of the schedule: upcoming sessions, a session's page (its register area comes
from registration/views.py) and the training request form. Thin: selectors read, services
write, permissions decide."""

import zoneinfo
from urllib.parse import unquote

import pycountry
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from muster import dates

from .. import permissions
from ..attendance.selectors import past_session_outcome
from ..forms import TrainingRequestForm, UpcomingFilterForm, ViewerZoneForm
from ..models import TrainingSession
from ..registration.views import registration_context
from . import selectors as schedule_selectors
from . import services as schedule_services

VIEWER_ZONE_COOKIE = "muster_tz"


def _country_name(code):
    country = pycountry.countries.get(alpha_2=code)
    return country.name if country else code


def upcoming_sessions(request):
    upcoming = TrainingSession.objects.upcoming()
    countries = sorted(
        {code for code in upcoming.values_list("country", flat=True) if code},
        key=_country_name,
    )
    language_names = dict(settings.LANGUAGES)
    languages = sorted(set(upcoming.values_list("language", flat=True)))
    form = UpcomingFilterForm(
        request.GET or None,
        courses=schedule_selectors.course_choices_for_upcoming(),
        countries=[(code, _country_name(code)) for code in countries],
        languages=[(code, language_names.get(code, code)) for code in languages],
    )
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {key: value for key, value in form.cleaned_data.items() if value}
    sessions = schedule_selectors.upcoming_for_public(**filters) if not form.errors else []
    rows = [
        {"session": s, "country_name": _country_name(s.country) if s.country else ""}
        for s in sessions
    ]
    return render(
        request,
        "training_sessions/upcoming.html",
        {
            "form": form,
            "rows": rows,
            "feed_url": request.build_absolute_uri(reverse("feeds:programme")),
        },
    )


def viewer_zone(request):
    """The viewer's zone: chosen on the page, else their profile, else their browser's
    (a cookie set by static/js/viewer-zone.js). None when unknown."""
    for candidate in (
        request.GET.get("tz"),
        getattr(request.user, "time_zone", "") if request.user.is_authenticated else "",
        unquote(request.COOKIES.get(VIEWER_ZONE_COOKIE, "")),
    ):
        if candidate and candidate in dates.time_zone_names():
            return candidate
    return None


def session_detail(request, reference):
    try:
        session = schedule_selectors.session_for_public(reference)
    except TrainingSession.DoesNotExist:
        raise Http404 from None
    zone = viewer_zone(request)
    days = list(session.days.all())
    is_past = session.status == TrainingSession.Status.DELIVERED or (
        session.end_date is not None and session.end_date < timezone.localdate()
    )
    other_zone = None
    if zone and zone != session.time_zone:
        # Only worth a column when some instant reads differently in the viewer's zone.
        viewer = zoneinfo.ZoneInfo(zone)
        if any(
            day.starts_at.astimezone(viewer).replace(tzinfo=None)
            != day.starts_at.astimezone(session.zone).replace(tzinfo=None)
            for day in days
        ):
            other_zone = zone
    return render(
        request,
        "training_sessions/session_detail.html",
        {
            "session": session,
            "days": days,
            "viewer_zone": other_zone,
            "viewer_zone_known": zone is not None,
            "zone_form": ViewerZoneForm(initial={"tz": zone or ""}),
            "country_name": _country_name(session.country) if session.country else "",
            "is_officer": request.user.is_authenticated
            and hasattr(request.user, "officer_profile"),
            **registration_context(request.user, session),
            "manages": permissions.can_manage_session(request.user, session),
            # A finished session: "Seats left" means nothing; the officer's outcome does.
            "is_past": is_past,
            "outcome": past_session_outcome(request.user, session) if is_past else None,
            # Sections other apps add (the trainers' messages, communications/): each hook is
            # fn(request, session) -> rendered HTML, or "" when it has nothing to say.
            "extra_sections": [
                html
                for fn in hooks.get_hooks("muster_session_page_sections")
                if (html := fn(request, session))
            ],
        },
    )


@login_required
def request_training(request):
    if not permissions.can_request_training(request.user):
        return render(request, "training_sessions/request_refused.html", status=403)
    form = TrainingRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in TrainingRequestForm.Meta.fields}
        schedule_services.submit_training_request(
            requester=request.user, acting_user=request.user, **fields
        )
        messages.success(
            request,
            _("Thank you. The programme will answer your request by e-mail."),
        )
        return redirect("training_sessions:upcoming")
    return render(
        request,
        "training_sessions/request_form.html",
        {"form": form, "agency": request.user.officer_profile.agency},
    )
