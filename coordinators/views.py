"""The coordinator's pages (public site, signed in) and the nominee's answer.

Thin: each view reads through selectors.py or calls one service. Everything a coordinator
opens is scoped by selectors.scope_agency_ids; anything outside (or anyone not a coordinator)
answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from muster import exports

from . import selectors, services
from .models import Nomination


def _coordinator_or_404(user):
    if not selectors.is_coordinator(user):
        raise Http404


@login_required
def index(request):
    _coordinator_or_404(request.user)
    rows = selectors.agency_record(request.user)
    nominations = list(
        selectors.nominations_in_scope(request.user)
        .filter(session__start_date__gte=timezone.localdate())
        .order_by("session__start_date", "officer__email")
    )
    return render(
        request,
        "coordinators/index.html",
        {
            "agencies": list(selectors.coordinated_agencies(request.user)),
            "rows": rows,
            "never_trained": [row for row in rows if row["never_trained"]],
            "nominations": nominations,
            "sessions": list(selectors.nomination_sessions()),
        },
    )


@login_required
def officer(request, officer_id):
    _coordinator_or_404(request.user)
    profile = selectors.officer_in_scope_or_404(request.user, officer_id)
    return render(
        request,
        "coordinators/officer.html",
        {"profile": profile, **selectors.officer_record(profile)},
    )


def _export_table(user):
    headers = [
        _("Officer"),
        _("E-mail"),
        _("Agency"),
        _("Verification"),
        _("Upcoming registrations"),
        _("Pending nominations"),
        _("Sessions attended"),
        _("Training hours"),
        _("Valid certificates"),
        _("Expiring within 90 days"),
        _("Revoked certificates"),
    ]
    rows = [
        [
            row["profile"].user.get_full_name(),
            row["profile"].user.email,
            str(row["profile"].agency),
            row["profile"].get_verification_display(),
            row["upcoming"],
            row["pending_nominations"],
            row["sessions_attended"],
            row["hours"],
            row["certificates_valid"],
            row["certificates_expiring"],
            row["certificates_revoked"],
        ]
        for row in selectors.agency_record(user)
    ]
    return headers, rows


@login_required
def export(request, fmt):
    _coordinator_or_404(request.user)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    headers, rows = _export_table(request.user)
    filename = f"agency-training-{timezone.localdate().isoformat()}"
    if fmt == "csv":
        return exports.csv_response(headers, rows, filename, bom=True)
    return exports.xlsx_response(headers, rows, filename, title="Officers")


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request, reference):
    _coordinator_or_404(request.user)
    session = get_object_or_404(
        selectors.nomination_sessions().select_related("course"), reference=reference
    )
    if request.method == "POST":
        profile = selectors.officers_in_scope(request.user).filter(
            user_id=request.POST.get("officer")
        )
        profile = profile.first()
        if profile is None:
            raise Http404
        try:
            services.nominate(session=session, officer=profile.user, acting_user=request.user)
        except services.CoordinatorRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                _("%(person)s is nominated. They accept or decline on My training.")
                % {"person": profile.user.get_full_name() or profile.user.email},
            )
        return redirect(reverse("coordinators:nominate", args=[session.reference]))
    query = request.GET.get("q", "")
    return render(
        request,
        "coordinators/nominate.html",
        {
            "session": session,
            "query": query,
            "found": list(selectors.search_nominees(request.user, query)),
            "nominations": list(
                selectors.nominations_in_scope(request.user)
                .filter(session=session)
                .order_by("officer__email")
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def respond(request, pk):
    """The nominee's answer (the link in My training, and in an e-mail): GET shows the
    nomination, POST accepts or declines. Another person's nomination answers 404."""
    nomination = get_object_or_404(
        Nomination.objects.select_related("session", "session__course", "nominated_by"),
        pk=pk,
        officer=request.user,
    )
    if request.method == "POST":
        answer = request.POST.get("answer")
        service = {
            "accept": services.accept_nomination,
            "decline": services.decline_nomination,
        }.get(answer)
        if service is None:
            messages.error(request, _("Choose to accept or decline the nomination."))
            return redirect(reverse("coordinators:respond", args=[nomination.pk]))
        try:
            nomination = service(nomination=nomination, acting_user=request.user)
        except services.RegistrationRefused as refusal:
            messages.error(request, refusal.message)
            return redirect(reverse("coordinators:respond", args=[nomination.pk]))
        if answer == "accept":
            messages.success(
                request,
                _("You accepted the nomination: you are registered (%(status)s).")
                % {"status": nomination.registration.get_status_display().lower()},
            )
        else:
            messages.success(request, _("You declined the nomination."))
        return redirect(reverse("my_training:index"))
    return render(
        request,
        "coordinators/respond.html",
        {"nomination": nomination, "session": nomination.session},
    )
