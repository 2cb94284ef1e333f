"""Officer-facing pages: their own profile. Thin: parse, call, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import selectors
from .forms import OfficerProfileForm


@login_required
def profile(request):
    """The officer's own profile: agency, verification state, what to do next; rank and zone.

    There is no URL naming another officer's profile: everyone sees only their own, and a
    signed-in person without an officer profile (staff) gets 404.
    """
    officer = selectors.own_profile(request.user)
    form = OfficerProfileForm(request.POST or None, instance=officer)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("attendees:profile")
    open_request = next(
        (r for r in officer.agency_requests.all() if r.status == r.Status.OPEN), None
    )
    return render(
        request,
        "attendees/profile.html",
        {"officer": officer, "form": form, "open_request": open_request},
    )
