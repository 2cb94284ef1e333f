"""Officer-facing pages: their own profile. Thin: parse, call, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from wagtail import hooks

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
    # Sections of apps above attendees (personal data, from privacy) arrive through a hook:
    # fn(request, officer) -> HTML or "" (attendees imports none of them).
    sections = [
        html for fn in hooks.get_hooks("muster_profile_sections") if (html := fn(request, officer))
    ]
    return render(
        request,
        "attendees/profile.html",
        {"officer": officer, "form": form, "open_request": open_request, "sections": sections},
    )
