"""An officer registering and cancelling, and the register area of the session page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from ..models import Registration, TrainingSession
from . import rules
from . import selectors as registration_selectors
from . import services as registration_services


def registration_context(user, session):
    """What the register area of the session page shows the signed-in officer."""
    if not user.is_authenticated or not hasattr(user, "officer_profile"):
        return {}
    registration = registration_selectors.registration_of(user, session)
    active = registration is not None and registration.status in rules.ACTIVE_REGISTRATION
    return {
        "my_registration": registration if active else None,
        "may_cancel": active and rules.can_cancel(registration=registration, user=user),
        "cancel_deadline": registration_selectors.cancellation_deadline(session)
        if active
        else None,
        "waitlist_position": (
            registration_selectors.waitlist_position(registration)
            if active and registration.status == Registration.Status.WAITLISTED
            else None
        ),
        "refusal": None if active else rules.registration_refusal(session=session, officer=user),
        "is_full": session.seats_left == 0,
        # Who sees the online join link is a registration rule (registration/rules.py).
        "join_link": rules.join_link(session, seat=rules.holds_seat(registration) and active),
    }


@login_required
@require_POST
def register(request, reference):
    try:
        session = TrainingSession.objects.published().get(reference=reference)
    except TrainingSession.DoesNotExist:
        raise Http404 from None
    try:
        registration = registration_services.register(
            session=session, officer=request.user, acting_user=request.user
        )
    except rules.RegistrationRefused as refusal:
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
        registration = registration_selectors.registration_for(request.user, pk)
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
                "deadline": registration_selectors.cancellation_deadline(session),
            },
        )
    try:
        registration_services.cancel_registration(
            registration=registration, acting_user=request.user
        )
    except rules.RegistrationRefused as refusal:
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
