"""Attendance for trainers and programme leads: roll call, walk-ins, the QR code, exports and
the printable sign-in sheet, roster imports and headcounts (anyone else gets 404)."""

from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from jobs.models import ImportJob
from jobs.services import start_import
from muster import dates

from .. import checkin, exports, imports
from ..forms import HeadcountForm, WalkInAgencyForm
from ..models import Attendance, Registration
from ..permissions import managed_session_or_404
from . import selectors as attendance_selectors
from . import services as attendance_services

# --- Attendance: roll call, walk-ins, QR check-in ------------------------------------------


def day_of(session, date_text, *, default_today=False):
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
    session = managed_session_or_404(request, reference)
    day, days = day_of(
        session, request.POST.get("day") or request.GET.get("day"), default_today=True
    )
    target = reverse("training_sessions:roll_call", args=[session.reference])
    if request.method == "POST" and request.POST.get("action") == "mark_all_present":
        # Confirmed first on the page (?confirm=all); the button posts here.
        try:
            count = attendance_services.mark_all_present(
                session=session, day=day, acting_user=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d person marked present.",
                    "%(count)d people marked present.",
                    count,
                )
                % {"count": count}
                if count
                else _("Everyone confirmed already has a mark for this day: nothing changed."),
            )
        return redirect(f"{target}?day={day.date.isoformat()}")
    if request.method == "POST":
        # static/js/rollcall.js sends the same form with fetch() and asks for JSON, to update
        # the row in place; without JavaScript the form posts and the page reloads.
        wants_json = "application/json" in request.headers.get("Accept", "")
        try:
            registration = Registration.objects.get(
                pk=request.POST.get("registration"), session=session
            )
            attendance = attendance_services.record_attendance(
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
        return redirect(f"{target}?day={day.date.isoformat()}#reg-{registration.pk}")
    rows = attendance_selectors.roll_call_rows(session, day)
    return render(
        request,
        "training_sessions/roll_call.html",
        {
            "session": session,
            "day": day,
            "days": days,
            "rows": rows,
            "unmarked": sum(1 for _registration, attendance in rows if attendance is None),
            "confirm_all": request.GET.get("confirm") == "all",
            "statuses": Attendance.Status.choices,
            "walk_in_form": WalkInAgencyForm(auto_id="walk-in-%s"),
        },
    )


@login_required
@require_POST
def add_walk_in(request, reference):
    session = managed_session_or_404(request, reference)
    day, _days = day_of(session, request.POST.get("day"), default_today=True)
    form = WalkInAgencyForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose an agency from the list."))
        registration = attendance_services.add_walk_in(
            session=session,
            email=request.POST.get("email", ""),
            first_name=request.POST.get("first_name", "").strip(),
            last_name=request.POST.get("last_name", "").strip(),
            agency=form.cleaned_data["agency"],
            day=day,
            acting_user=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(who)s is registered as a walk-in and marked present on %(date)s.")
            % {"who": registration.officer.email, "date": dates.format_date(day.date, "medium")},
        )
    target = reverse("training_sessions:roll_call", args=[session.reference])
    return redirect(f"{target}?day={day.date.isoformat()}")


@login_required
def checkin_code(request, reference, date):
    """The trainer's screen: the current QR code for the day; the page reloads itself when the
    code rotates (a meta refresh, no script)."""
    session = managed_session_or_404(request, reference)
    day, _days = day_of(session, date)
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
            "is_today": checkin.is_today(day),
        },
    )


# --- Exports and the printable sign-in sheet -----------------------------------------------

EXPORT_TABLES = {"roster": exports.roster_table, "attendance": exports.attendance_table}
EXPORT_FORMATS = {"csv": exports.csv_response, "xlsx": exports.xlsx_response}


@login_required
def session_export(request, reference, table, fmt):
    session = managed_session_or_404(request, reference)
    if table not in EXPORT_TABLES or fmt not in EXPORT_FORMATS:
        raise Http404
    headers, rows = EXPORT_TABLES[table](session)
    attendance_services.record_export(
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
    session = managed_session_or_404(request, reference)
    return render(
        request,
        "training_sessions/sign_in_sheet.html",
        {
            "session": session,
            "days": list(session.days.order_by("date")),
            "rows": attendance_selectors.roll_call_rows(session, None),
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
    session = managed_session_or_404(request, reference)
    key = _import_key(session)
    context = {"session": session}
    if request.method == "POST" and request.POST.get("action") == "confirm":
        plan = request.session.pop(key, None)
        if not plan:
            messages.error(request, _("Upload the file again: the preview has expired."))
            return redirect("training_sessions:roster_import", session.reference)
        # Large files take longer than a request may: the worker imports it (all or nothing)
        # and the job's page shows the progress.
        job = start_import(
            kind=ImportJob.Kind.ROSTER,
            title=_("Roster import for %(session)s") % {"session": session.reference},
            payload={"session_id": session.pk, "plan": plan},
            rows_total=len(plan),
            acting_user=request.user,
            done_url=reverse("training_sessions:roster", args=[session.reference]),
            request=request,
        )
        return redirect("jobs:detail", job.pk)
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
    session = managed_session_or_404(request, reference)
    form = HeadcountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        attendance_services.set_headcount(
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
