"""Public views: certificate verification and the PDF download."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import ratelimit

from . import pdf, permissions, selectors
from .forms import VerifyForm


def _noindex(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def verify_rate_limited(view):
    """Answer 429 once a client has asked too often: codes must not be guessable by trying."""
    limited = ratelimit.rate_limited(
        "verify",
        setting="MUSTER_VERIFY_RATE_LIMIT",
        default=(30, 60),
        template="certificates/verify_rate_limited.html",
    )(view)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return _noindex(limited(request, *args, **kwargs))

    return wrapped


def _not_found(request, form=None):
    return render(request, "certificates/verify_not_found.html", {"form": form}, status=404)


@require_GET
def verify_form(request):
    if not request.GET:
        # The empty form: the same for everyone and looks nothing up, so neither counted nor
        # kept from caches (the page cache serves it, pagecache/).
        return _noindex(render(request, "certificates/verify_form.html", {"form": VerifyForm()}))
    return _verify_lookup(request)


@never_cache
@verify_rate_limited
def _verify_lookup(request):
    form = VerifyForm(request.GET)
    if not form.is_valid():
        return render(request, "certificates/verify_form.html", {"form": form}, status=400)
    certificate = selectors.certificate_by_code(form.cleaned_data["code"])
    if certificate is None or certificate.serial != form.cleaned_data["serial"]:
        return _not_found(request, form)
    return redirect(certificate.get_verification_path())


@require_GET
@never_cache
@verify_rate_limited
def verify(request, code):
    certificate = selectors.certificate_by_code(code)
    if certificate is None:
        return _not_found(request, VerifyForm())
    # Only what the public page may show: no e-mail, agency or jurisdiction reaches the template.
    context = {
        "status": certificate.status,
        "Status": type(certificate).Status,
        "serial": certificate.serial,
        # Blank once the holder's account was erased (privacy): the certificate still checks.
        "officer_name": certificate.officer_name or _("(name erased at the holder's request)"),
        "course_title": certificate.course_title,
        "start_date": certificate.start_date,
        "end_date": certificate.end_date,
        "issued_on": timezone.localdate(certificate.issued_at),
        "expires_on": certificate.expires_on,
        "revoked_on": certificate.revoked_at and timezone.localdate(certificate.revoked_at),
        "revocation_reason": certificate.revocation_reason,
        "replaced_by_serial": certificate.superseded_by.serial
        if certificate.superseded_by_id
        else "",
        "issuer": settings.MUSTER_PROGRAMME_NAME,
    }
    return render(request, "certificates/verify.html", context)


@require_GET
@never_cache
def certificate_pdf(request, serial):
    """The PDF for the officer it belongs to, the session's trainers and programme leads;
    404 for everyone else, so nobody learns which serials exist."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    certificate = selectors.certificate_for_pdf(serial)
    if certificate is None or not permissions.can_download_pdf(request.user, certificate):
        raise Http404(_("No such certificate."))
    response = HttpResponse(pdf.render_certificate(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.serial}.pdf"'
    response["X-Robots-Tag"] = "noindex"
    return response
