"""The roster of a session and the decisions on pending registrations, for the session's
trainers and the programme leads (anyone else gets 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..models import Registration
from ..permissions import managed_session_or_404
from . import selectors as registration_selectors
from . import services as registration_services


@login_required
def session_roster(request, reference):
    session = managed_session_or_404(request, reference)
    return render(
        request,
        "training_sessions/roster.html",
        {"session": session, **registration_selectors.roster(session)},
    )


@login_required
@require_POST
def decide_registrations(request, reference):
    """Approve or reject pending registrations from the roster: one by one (the row's own
    button) or the ticked ones together. A rejection takes the reason typed above the list."""
    session = managed_session_or_404(request, reference)
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
            decided = registration_services.approve_registrations(
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
            decided = registration_services.reject_registrations(
                session=session,
                registration_ids=registration_ids,
                acting_user=request.user,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("Rejected: %(count)d.") % {"count": len(decided)})
        else:
            messages.error(request, _("Choose approve or reject."))
    except registration_services.DecisionRefused as refusal:
        messages.error(request, refusal.message)
    return redirect(
        reverse("training_sessions:roster", args=[session.reference]) + "#roster-pending"
    )
