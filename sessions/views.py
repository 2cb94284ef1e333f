"""Public pages of the sessions app: upcoming sessions, a session's page, calendar files and
feeds, the feed settings page and the training request form. Thin: selectors read, services
write, permissions decide."""

import zoneinfo
from urllib.parse import unquote, urlencode

import pycountry
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.ratelimit import rate_limited

from . import checkin, exports, imports, permissions, selectors, services
from .calendar import build_calendar
from .forms import HeadcountForm, TrainingRequestForm, UpcomingFilterForm, ViewerZoneForm
from .models import Attendance, CalendarFeedToken, Registration, TrainingSession

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
        courses=selectors.course_choices_for_upcoming(),
        countries=[(code, _country_name(code)) for code in countries],
        languages=[(code, language_names.get(code, code)) for code in languages],
    )
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {key: value for key, value in form.cleaned_data.items() if value}
    sessions = selectors.upcoming_for_public(**filters) if not form.errors else []
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
            "feed_url": request.build_absolute_uri("/calendar/programme.ics"),
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
        if candidate and candidate in zoneinfo.available_timezones():
            return candidate
    return None


def session_detail(request, reference):
    try:
        session = selectors.session_for_public(reference)
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
            **_registration_context(request.user, session),
            "manages": permissions.can_manage_session(request.user, session),
            # A finished session: "Seats left" means nothing; the officer's outcome does.
            "is_past": is_past,
            "outcome": selectors.past_session_outcome(request.user, session) if is_past else None,
        },
    )


def _registration_context(user, session):
    """What the register area of the session page shows the signed-in officer."""
    if not user.is_authenticated or not hasattr(user, "officer_profile"):
        return {}
    registration = selectors.registration_of(user, session)
    active = registration is not None and registration.status in services.ACTIVE_REGISTRATION
    return {
        "my_registration": registration if active else None,
        "may_cancel": active and services.can_cancel(registration=registration, user=user),
        "cancel_deadline": selectors.cancellation_deadline(session) if active else None,
        "waitlist_position": (
            selectors.waitlist_position(registration)
            if active and registration.status == Registration.Status.WAITLISTED
            else None
        ),
        "refusal": None if active else services.registration_refusal(session=session, officer=user),
        "is_full": session.seats_left == 0,
    }


def _managed_session(request, reference):
    """The session if the user is one of its trainers or a lead; 404 for anyone else, so the
    page does not even confirm the session has a roster."""
    try:
        session = TrainingSession.objects.select_related("course").get(reference=reference)
    except TrainingSession.DoesNotExist:
        raise Http404 from None
    if not permissions.can_manage_session(request.user, session):
        raise Http404
    return session


@login_required
def session_roster(request, reference):
    session = _managed_session(request, reference)
    return render(
        request,
        "training_sessions/roster.html",
        {"session": session, **selectors.roster(session)},
    )


@login_required
@require_POST
def decide_registrations(request, reference):
    """Approve or reject pending registrations from the roster: one by one (the row's own
    button) or the ticked ones together. A rejection takes the reason typed above the list."""
    session = _managed_session(request, reference)
    one = request.POST.get("approve_one") or request.POST.get("reject_one")
    if one:
        action = "approve" if request.POST.get("approve_one") else "reject"
        raw_ids = [one]
    else:
        action = request.POST.get("action", "")
        raw_ids = request.POST.getlist("registration")
    try:
        registration_ids = [int(value) for value in raw_ids]
    except ValueError:
        raise Http404 from None
    try:
        if action == "approve":
            decided = services.approve_registrations(
                session=session, registration_ids=registration_ids, acting_user=request.user
            )
            waitlisted = sum(1 for r in decided if r.status == Registration.Status.WAITLISTED)
            messages.success(
                request,
                _(
                    "Approved: %(count)d, of whom %(waitlisted)d on the waitlist "
                    "(the session is full)."
                )
                % {"count": len(decided), "waitlisted": waitlisted}
                if waitlisted
                else _("Approved: %(count)d.") % {"count": len(decided)},
            )
        elif action == "reject":
            decided = services.reject_registrations(
                session=session,
                registration_ids=registration_ids,
                acting_user=request.user,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("Rejected: %(count)d.") % {"count": len(decided)})
        else:
            messages.error(request, _("Choose approve or reject."))
    except services.DecisionRefused as refusal:
        messages.error(request, refusal.message)
    return redirect(
        reverse("training_sessions:roster", args=[session.reference]) + "#roster-pending"
    )


@login_required
@require_POST
def register(request, reference):
    try:
        session = TrainingSession.objects.published().get(reference=reference)
    except TrainingSession.DoesNotExist:
        raise Http404 from None
    try:
        registration = services.register(
            session=session, officer=request.user, acting_user=request.user
        )
    except services.RegistrationRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, REGISTERED_MESSAGES[registration.status])
    return redirect(session.get_absolute_url() + "#register")


REGISTERED_MESSAGES = {
    Registration.Status.CONFIRMED: _lazy("You are registered. A confirmation is on its way."),
    Registration.Status.WAITLISTED: _lazy(
        "The session is full: you are on the waitlist. We will e-mail you if a seat comes free."
    ),
    Registration.Status.PENDING: _lazy(
        "Your registration awaits the programme's approval. We will e-mail you."
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def cancel_registration(request, pk):
    """GET asks for confirmation (cancelling gives the seat away at once), POST cancels."""
    try:
        registration = selectors.registration_for(request.user, pk)
    except Registration.DoesNotExist:
        raise Http404 from None
    if request.method == "GET":
        session = registration.session
        return render(
            request,
            "training_sessions/cancel_confirm.html",
            {
                "registration": registration,
                "session": session,
                "deadline": selectors.cancellation_deadline(session),
            },
        )
    try:
        services.cancel_registration(registration=registration, acting_user=request.user)
    except services.RegistrationRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The registration is cancelled."))
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        # Not redirect(): it would read a "next" such as "0" as a view name and fail.
        return HttpResponseRedirect(next_url)
    return redirect(registration.session.get_absolute_url() + "#register")


def _ics_response(calendar, filename):
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def _base_url(request):
    return request.build_absolute_uri("/")


def session_calendar(request, reference):
    """The .ics file of one published session. The join link only for its confirmed
    registrants and its trainers."""
    try:
        session = selectors.for_calendar(TrainingSession.objects.published()).get(
            reference=reference
        )
    except TrainingSession.DoesNotExist:
        raise Http404 from None
    user = request.user
    may_join = selectors.is_confirmed_registrant(user, session) or (
        user.is_authenticated and session.trainers.filter(pk=user.pk).exists()
    )
    calendar = build_calendar(
        [session],
        base_url=_base_url(request),
        name=f"{session.reference} · {session.course.title}",
        join_link_for=lambda _session: may_join,
    )
    return _ics_response(calendar, f"{session.reference}.ics")


def programme_feed(request):
    """The public feed of the programme's scheduled sessions. Never carries join links."""
    calendar = build_calendar(
        selectors.programme_feed_sessions(),
        base_url=_base_url(request),
        name=settings.MUSTER_PROGRAMME_NAME,
        reminder=False,
    )
    return _ics_response(calendar, "programme.ics")


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
    links. The token is the only credential (calendar programs cannot sign in)."""
    try:
        feed = CalendarFeedToken.objects.select_related("user").get(token=token)
    except CalendarFeedToken.DoesNotExist:
        raise Http404 from None
    if not feed.user.is_active:
        raise Http404
    calendar = build_calendar(
        selectors.personal_feed_sessions(feed.user),
        base_url=_base_url(request),
        name=_("My training sessions"),
        join_link_for=lambda _session: True,
    )
    response = _ics_response(calendar, "my-sessions.ics")
    response["X-Robots-Tag"] = "noindex"
    # Join links and a personal schedule: no shared cache may keep a copy.
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
def feed_settings(request):
    token = services.feed_token_for(user=request.user)
    return render(
        request,
        "training_sessions/feed_settings.html",
        {
            "feed_url": request.build_absolute_uri(token.get_absolute_url()),
            "token": token,
            "programme_feed_url": request.build_absolute_uri("/calendar/programme.ics"),
        },
    )


@login_required
@require_POST
def regenerate_feed(request):
    services.regenerate_feed_token(user=request.user, acting_user=request.user)
    messages.success(
        request, _("Your feed has a new address. The old one no longer works: subscribe again.")
    )
    return redirect("training_sessions:feed_settings")


@login_required
def request_training(request):
    if not permissions.can_request_training(request.user):
        return render(request, "training_sessions/request_refused.html", status=403)
    form = TrainingRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in TrainingRequestForm.Meta.fields}
        services.submit_training_request(requester=request.user, acting_user=request.user, **fields)
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


# --- Attendance: roll call, walk-ins, QR check-in ------------------------------------------


def _day_of(session, date_text, *, default_today=False):
    days = list(session.days.order_by("date"))
    if not days:
        raise Http404
    if date_text:
        for day in days:
            if day.date.isoformat() == date_text:
                return day, days
        raise Http404
    if default_today:
        today = timezone.localdate(timezone=session.zone)
        for day in days:
            if day.date >= today:
                return day, days
    return days[0], days


@login_required
def roll_call(request, reference):
    """One form per person (one tap per status) for the chosen day; works without JS."""
    session = _managed_session(request, reference)
    day, days = _day_of(
        session, request.POST.get("day") or request.GET.get("day"), default_today=True
    )
    if request.method == "POST":
        # static/js/rollcall.js sends the same form with fetch() and asks for JSON, to update
        # the row in place; without JavaScript the form posts and the page reloads.
        wants_json = "application/json" in request.headers.get("Accept", "")
        try:
            registration = Registration.objects.get(
                pk=request.POST.get("registration"), session=session
            )
            attendance = services.record_attendance(
                registration=registration,
                day=day,
                status=request.POST.get("status", ""),
                method=Attendance.Method.ROLL_CALL,
                acting_user=request.user,
            )
        except (Registration.DoesNotExist, ValueError):
            if wants_json:
                return JsonResponse({"error": _("This person is not on the roster.")}, status=404)
            raise Http404 from None
        except ValidationError as error:
            if wants_json:
                return JsonResponse({"error": " ".join(error.messages)}, status=400)
            messages.error(request, " ".join(error.messages))
        else:
            if wants_json:
                return JsonResponse(
                    {
                        "registration": registration.pk,
                        "day": day.date.isoformat(),
                        "status": attendance.status,
                        "text": f"{attendance.get_status_display()} · "
                        f"{attendance.get_method_display()}",
                        "message": _("Saved"),
                    }
                )
        target = reverse("training_sessions:roll_call", args=[session.reference])
        return redirect(f"{target}?day={day.date.isoformat()}#reg-{registration.pk}")
    return render(
        request,
        "training_sessions/roll_call.html",
        {
            "session": session,
            "day": day,
            "days": days,
            "rows": selectors.roll_call_rows(session, day),
            "statuses": Attendance.Status.choices,
        },
    )


@login_required
@require_POST
def add_walk_in(request, reference):
    session = _managed_session(request, reference)
    day, _days = _day_of(session, request.POST.get("day"), default_today=True)
    try:
        registration = services.add_walk_in(
            session=session,
            email=request.POST.get("email", ""),
            first_name=request.POST.get("first_name", "").strip(),
            last_name=request.POST.get("last_name", "").strip(),
            acting_user=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(who)s is registered as a walk-in.") % {"who": registration.officer.email},
        )
    target = reverse("training_sessions:roll_call", args=[session.reference])
    return redirect(f"{target}?day={day.date.isoformat()}")


@login_required
def checkin_code(request, reference, date):
    """The trainer's screen: the current QR code for the day; the page reloads itself when the
    code rotates (a meta refresh, no script)."""
    session = _managed_session(request, reference)
    day, _days = _day_of(session, date)
    url = request.build_absolute_uri(
        reverse("training_sessions:checkin", args=[session.reference, day.date.isoformat()])
        + "?"
        + urlencode({"code": checkin.make_token(day)})
    )
    return render(
        request,
        "training_sessions/checkin_code.html",
        {
            "session": session,
            "day": day,
            "checkin_url": url,
            "qr_svg": segno.make(url, error="m").svg_inline(scale=6, omitsize=True),
            "refresh_seconds": checkin.ROTATE_SECONDS,
        },
    )


@login_required
# Per signed-in officer, not per address: a whole classroom checks in from one network at once.
@rate_limited("checkin", setting="MUSTER_CHECKIN_RATE_LIMIT", default=(20, 60), per="user")
def checkin_view(request, reference, date):
    """A signed-in confirmed registrant opening a valid code is marked present for the day."""
    try:
        session = (
            TrainingSession.objects.published().select_related("course").get(reference=reference)
        )
    except TrainingSession.DoesNotExist:
        raise Http404 from None
    day, _days = _day_of(session, date)
    context = {"session": session, "day": day}
    try:
        checkin.read_token(request.GET.get("code", ""), session=session, day=day)
    except checkin.CheckinRefused as refusal:
        context.update(error=refusal.message, code=refusal.code)
        return render(request, "training_sessions/checkin.html", context, status=400)
    registration = Registration.objects.filter(
        session=session, officer=request.user, status=Registration.Status.CONFIRMED
    ).first()
    if registration is None:
        context.update(
            error=_("Only confirmed registrants of this session can check in."),
            code="not_registered",
        )
        return render(request, "training_sessions/checkin.html", context, status=403)
    services.record_attendance(
        registration=registration,
        day=day,
        status=Attendance.Status.PRESENT,
        method=Attendance.Method.QR,
        acting_user=request.user,
    )
    return render(request, "training_sessions/checkin.html", context)


# --- Exports and the printable sign-in sheet -----------------------------------------------

EXPORT_TABLES = {"roster": exports.roster_table, "attendance": exports.attendance_table}
EXPORT_FORMATS = {"csv": exports.csv_response, "xlsx": exports.xlsx_response}


@login_required
def session_export(request, reference, table, fmt):
    session = _managed_session(request, reference)
    if table not in EXPORT_TABLES or fmt not in EXPORT_FORMATS:
        raise Http404
    headers, rows = EXPORT_TABLES[table](session)
    services.record_export(
        session=session,
        table=table,
        fmt=fmt,
        row_count=len(rows),
        acting_user=request.user,
        request=request,
    )
    return EXPORT_FORMATS[fmt](headers, rows, f"{session.reference}-{table}")


@login_required
def sign_in_sheet(request, reference):
    """A page to print: one line per confirmed registrant and a signature box per day."""
    session = _managed_session(request, reference)
    return render(
        request,
        "training_sessions/sign_in_sheet.html",
        {
            "session": session,
            "days": list(session.days.order_by("date")),
            "rows": selectors.roll_call_rows(session, None),
            "blank_lines": range(5),
        },
    )


# --- Roster import -------------------------------------------------------------------------


def _import_key(session):
    return f"roster-import-{session.pk}"


@login_required
def roster_import(request, reference):
    """Upload -> preview (with row-level errors, nothing written) -> confirm (all or nothing).
    The checked plan waits in the user's server-side session between the two steps, so what
    is confirmed is exactly what was previewed, and nobody else's upload can be confirmed."""
    session = _managed_session(request, reference)
    key = _import_key(session)
    context = {"session": session}
    if request.method == "POST" and request.POST.get("action") == "confirm":
        plan = request.session.pop(key, None)
        if not plan:
            messages.error(request, _("Upload the file again: the preview has expired."))
            return redirect("training_sessions:roster_import", session.reference)
        added, written = imports.apply_plan(session=session, plan=plan, acting_user=request.user)
        messages.success(
            request,
            _("Imported: %(added)d registrations added, %(written)d attendance marks written.")
            % {"added": added, "written": written},
        )
        return redirect("training_sessions:roster", session.reference)
    if request.method == "POST":
        request.session.pop(key, None)
        upload = request.FILES.get("file")
        if upload is None:
            context["errors"] = [_("Choose a file to upload.")]
        else:
            try:
                header, rows = imports.read_table(upload)
            except ValidationError as error:
                context["errors"] = error.messages
            else:
                plan, errors = imports.check_rows(session, header, rows)
                context.update(plan=plan, errors=errors)
                if plan and not errors:
                    request.session[key] = plan
    return render(request, "training_sessions/roster_import.html", context)


@login_required
def headcounts(request, reference):
    """Headcounts for events where people did not register one by one."""
    session = _managed_session(request, reference)
    form = HeadcountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.set_headcount(
            session=session,
            agency=form.cleaned_data["agency"],
            jurisdiction=form.cleaned_data["jurisdiction"],
            count=form.cleaned_data["count"],
            acting_user=request.user,
        )
        messages.success(request, _("Headcount saved."))
        return redirect("training_sessions:headcounts", session.reference)
    lines = session.headcounts.select_related("agency", "jurisdiction").order_by("pk")
    return render(
        request,
        "training_sessions/headcounts.html",
        {"session": session, "form": form, "lines": lines},
    )
