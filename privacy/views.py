"""The officer's own personal data: download it as JSON, ask for erasure. Thin views."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import ErasureRequestForm


def _own_officer(request):
    # Staff have no profile page; only officers (with a profile) use these pages.
    if not hasattr(request.user, "officer_profile"):
        raise Http404
    return request.user


@login_required
@require_POST
def download(request):
    """Everything held about the signed-in officer, as a JSON attachment (POST: it is audited,
    and a link that a browser might prefetch should not leave entries)."""
    user = _own_officer(request)
    data = services.export_personal_data(user=user, request=request)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="muster-personal-data-{stamp}.json"'
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
def request_erasure(request):
    user = _own_officer(request)
    pending = services.pending_request(user)
    form = ErasureRequestForm(request.POST or None, user=user)
    if request.method == "POST" and pending is None and form.is_valid():
        services.request_erasure(user=user, acting_user=user, request=request)
        messages.success(
            request,
            _("Your request has been recorded. A programme lead will erase your account."),
        )
        return redirect("attendees:profile")
    return render(request, "privacy/request_erasure.html", {"form": form, "pending": pending})
