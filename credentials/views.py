"""The issuer's DID document, the status list, an officer's credential downloads and the
offline verifier page."""

import json

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import documents, selectors

JWT_TYPE = "application/vc+jwt"


@require_GET
def did_json(request):
    """did:web resolution: every public key the programme has signed with."""
    response = JsonResponse(selectors.did_document(), content_type="application/did+json")
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def status_list(request):
    token = selectors.status_list_token()
    if not token:
        raise Http404(_("No status list yet."))
    response = HttpResponse(token, content_type=JWT_TYPE)
    response["Access-Control-Allow-Origin"] = "*"
    # Short: a revocation must reach verifiers soon.
    response["Cache-Control"] = "public, max-age=60"
    return response


@require_GET
@never_cache
def download(request, serial, fmt):
    """The officer's own credential; 404 for anyone else, so nobody learns which serials exist."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    credential = selectors.credential_of_owner(request.user, serial)
    if credential is None:
        raise Http404(_("No such credential."))
    if fmt == "jwt":
        response = HttpResponse(credential.token, content_type=JWT_TYPE)
    else:
        body = json.dumps(documents.enveloped(credential.token), indent=2)
        response = HttpResponse(body, content_type="application/vc+ld+json")
    response["Content-Disposition"] = f'attachment; filename="{serial}.{fmt}"'
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def verifier(request):
    """A page that checks credentials in the browser with what it carries: the issuer's keys and
    the status list as of now. Saved, it keeps working with no network."""
    keys = [
        {
            "id": documents.verification_method(key.kid),
            "jwk": key.public_jwk,
            "created": documents.iso(key.created_at),
        }
        for key in selectors.issuer_keys()
    ]
    data = {
        "issuer": documents.issuer_did(),
        "keys": keys,
        "statusList": selectors.status_list_token(),
        "fetchedAt": documents.iso(timezone.now()),
    }
    messages = {
        "valid": _("Valid"),
        "expired": _("Expired"),
        "revoked": _("Revoked"),
        "signature invalid": _(
            "Signature invalid: the credential was altered, or is not a credential"
        ),
        "unknown issuer": _("Unknown issuer: not signed by this programme"),
        "unsupported": _(
            "This browser cannot check Ed25519 signatures; use a current Chromium or Firefox."
        ),
        "asOf": _("Revocation checked as of"),
        "notChecked": _("Revocation not checked: the page holds no valid list."),
        "name": _("Name"),
        "course": _("Course"),
        "validUntil": _("Valid until"),
    }
    return render(
        request,
        "credentials/verifier.html",
        {"verifier_data": data, "verifier_messages": messages},
    )
