"""Admin pages for programme leads beyond the generic viewsets: reviewing pending officers
(one by one or in bulk), deciding agency requests, merging a duplicate agency.

Wagtail's admin URLs already require admin access; each view checks its own permission.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import permissions, selectors, services
from .forms import AgencyMergeForm, AgencyRequestDecisionForm, OfficerDecisionForm
from .models import AgencyRequest


def _error_text(error):
    return " ".join(error.messages)


def review_officers(request):
    if not permissions.can_verify_officers(request.user):
        raise PermissionDenied
    if request.method == "POST":
        data = request.POST.copy()
        if request.GET.get("one"):
            data.setlist("officers", [request.GET["one"]])
        form = OfficerDecisionForm(data)
        if form.is_valid():
            profiles = list(form.cleaned_data["officers"])
            try:
                if form.cleaned_data["decision"] == "verify":
                    services.verify_officers(profiles=profiles, acting_user=request.user)
                    text = ngettext(
                        "%(count)d officer approved.", "%(count)d officers approved.", len(profiles)
                    )
                else:
                    services.reject_officers(
                        profiles=profiles,
                        acting_user=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                    text = ngettext(
                        "%(count)d officer rejected.", "%(count)d officers rejected.", len(profiles)
                    )
            except ValidationError as error:
                messages.error(request, _error_text(error))
            else:
                messages.success(request, text % {"count": len(profiles)})
                return redirect("officers:review")
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    paginator = Paginator(selectors.pending_profiles(), 100)
    page = paginator.get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "attendees/admin/review_officers.html",
        {"page_obj": page, "profiles": page.object_list, "reason": request.POST.get("reason", "")},
    )


def decide_agency_request(request, pk):
    if not permissions.can_resolve_agency_requests(request.user):
        raise PermissionDenied
    agency_request = get_object_or_404(
        AgencyRequest.objects.select_related("officer__user", "country"), pk=pk
    )
    initial = {"jurisdiction": agency_request.country, "domain": agency_request.email_domain}
    form = AgencyRequestDecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and agency_request.status != AgencyRequest.Status.OPEN:
        messages.error(request, _("This request has already been decided."))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            officer = agency_request.officer.user
            if data["action"] == form.ATTACH:
                services.resolve_agency_request(
                    agency_request=agency_request, agency=data["agency"], acting_user=request.user
                )
                outcome = _("%(officer)s is attached to %(agency)s.") % {
                    "officer": officer,
                    "agency": data["agency"],
                }
            elif data["action"] == form.CREATE:
                services.create_agency_from_request(
                    agency_request=agency_request,
                    type=data["type"],
                    jurisdiction=data["jurisdiction"],
                    domain=data["domain"],
                    acting_user=request.user,
                )
                outcome = _("%(agency)s was added and %(officer)s attached to it.") % {
                    "officer": officer,
                    "agency": agency_request.name,
                }
            else:
                services.reject_agency_request(
                    agency_request=agency_request, acting_user=request.user, reason=data["reason"]
                )
                outcome = _("The request is rejected and %(officer)s is told why.") % {
                    "officer": officer
                }
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            # The message says what happened, not merely that something did.
            messages.success(request, outcome)
            return redirect("agency_requests:index")
    return TemplateResponse(
        request,
        "attendees/admin/decide_request.html",
        {"agency_request": agency_request, "form": form, "media": form.media},
    )


def merge_agencies(request):
    if not permissions.can_merge_agencies(request.user):
        raise PermissionDenied
    form = AgencyMergeForm(request.POST or request.GET or None)
    preview = None
    if form.is_bound and form.is_valid():
        source, target = form.cleaned_data["source"], form.cleaned_data["target"]
        if request.method == "POST" and "confirm" in request.POST:
            try:
                result = services.merge_agencies(
                    source=source, target=target, acting_user=request.user
                )
            except ValidationError as error:
                messages.error(request, _error_text(error))
            else:
                moved = sum(count for _label, count in result["moved"])
                messages.success(
                    request,
                    _(
                        "%(source)s was merged into %(target)s: %(moved)d records moved, "
                        "%(combined)d combined."
                    )
                    % {
                        "source": source,
                        "target": target,
                        "moved": moved,
                        "combined": result["combined"],
                    },
                )
                return redirect(reverse("agencies:edit", args=[target.pk]))
        preview = [row for row in services.merge_preview(source=source) if row[1]]
    return TemplateResponse(
        request,
        "attendees/admin/merge.html",
        {"form": form, "preview": preview, "media": form.media},
    )
