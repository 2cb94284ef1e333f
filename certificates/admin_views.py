"""Staff views in the Wagtail admin: issuing for a session, overrides, revoke and re-issue,
the session's ZIP and the template preview. Registered by wagtail_hooks (behind admin access);
every object rule comes from permissions.py, and another trainer's session answers 404."""

import io
import zipfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sessions.models import TrainingSession

from . import pdf, permissions, selectors, services
from .forms import OverrideForm, ReasonForm
from .models import Certificate, CertificateTemplate

# Entries in the ZIP carry this fixed time so the same certificates give the same archive.
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)


def _session_for(request, pk):
    session = get_object_or_404(TrainingSession.objects.select_related("course"), pk=pk)
    if not permissions.can_issue_for_session(request.user, session):
        raise Http404
    return session


def issue_index(request):
    """Delivered sessions the user may issue certificates for, with how many are issued."""
    if not permissions.may_issue_certificates(request.user):
        raise PermissionDenied
    sessions = permissions.sessions_user_may_issue_for(
        request.user, selectors.delivered_sessions()
    ).annotate(
        issued=Count(
            "certificates",
            filter=Q(
                certificates__revoked_at__isnull=True, certificates__superseded_at__isnull=True
            ),
            distinct=True,
        )
    )
    query = request.GET.get("q", "").strip()
    if query:
        sessions = sessions.filter(
            Q(reference__icontains=query) | Q(course__title__icontains=query)
        )
    page = Paginator(sessions, 50).get_page(request.GET.get("p"))
    return render(
        request,
        "certificates/admin/issue_index.html",
        {"page_obj": page, "query": query},
    )


@require_http_methods(["GET", "POST"])
def issue_session(request, pk):
    """The preview of who gets a certificate and why (not), overrides, and the issue button."""
    session = _session_for(request, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "issue":
                if session.status != TrainingSession.Status.DELIVERED:
                    raise services.NotIssuable(
                        _("Certificates are issued only for delivered sessions.")
                    )
                issued = services.bulk_issue_for_session(session=session, acting_user=request.user)
                messages.success(
                    request,
                    _("%(count)d certificate(s) issued; the officers are being e-mailed.")
                    % {"count": len(issued)},
                )
            elif action == "override":
                form = OverrideForm(request.POST)
                if not form.is_valid():
                    errors = "; ".join(e for errs in form.errors.values() for e in errs)
                    raise ValidationError(errors)
                officer = get_object_or_404(
                    session.registrations.select_related("officer"),
                    officer_id=form.cleaned_data["officer"],
                ).officer
                if form.cleaned_data["eligible"] is None:
                    services.clear_override(
                        session=session, officer=officer, acting_user=request.user
                    )
                    messages.success(request, _("The rule applies again."))
                else:
                    services.set_override(
                        session=session,
                        officer=officer,
                        eligible=form.cleaned_data["eligible"],
                        reason=form.cleaned_data["reason"],
                        acting_user=request.user,
                    )
                    messages.success(request, _("Decision saved."))
            else:
                raise ValidationError(_("Unknown action."))
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("certificates_admin:issue_session", pk=session.pk)

    to_issue, not_eligible, issued = services.preview_session(session)
    return render(
        request,
        "certificates/admin/issue_session.html",
        {
            "session": session,
            "to_issue": to_issue,
            "not_eligible": not_eligible,
            "issued": issued,
            "delivered": session.status == TrainingSession.Status.DELIVERED,
            "superseded_or_revoked": Certificate.objects.filter(session=session)
            .exclude(revoked_at__isnull=True, superseded_at__isnull=True)
            .select_related("superseded_by")
            .order_by("serial"),
        },
    )


def session_zip(request, pk):
    """Every certificate of the session (all versions) as one ZIP of PDFs."""
    session = _session_for(request, pk)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for certificate in selectors.certificates_of_session(session):
            info = zipfile.ZipInfo(f"{certificate.serial}.pdf", date_time=ZIP_DATE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, pdf.render_certificate(certificate))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="certificates-{session.reference}.zip"'
    return response


def _certificate_for(request, pk):
    certificate = get_object_or_404(Certificate.objects.select_related("session", "officer"), pk=pk)
    if not permissions.can_revoke(request.user, certificate):
        raise Http404
    return certificate


@require_http_methods(["GET", "POST"])
def revoke(request, pk):
    certificate = _certificate_for(request, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke(
                certificate=certificate,
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request, _("Certificate %(serial)s revoked.") % {"serial": certificate.serial}
            )
            return redirect("certificates_admin:issue_session", pk=certificate.session_id)
    return render(
        request,
        "certificates/admin/reason_form.html",
        {
            "certificate": certificate,
            "form": form,
            "title": _("Revoke certificate"),
            "button": _("Revoke"),
            "explanation": _(
                "The verification page shows it as revoked, with your reason, at once."
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def reissue(request, pk):
    certificate = _certificate_for(request, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.reissue(
                certificate=certificate,
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                _("Certificate %(old)s replaced by %(new)s.")
                % {"old": certificate.serial, "new": new.serial},
            )
            return redirect("certificates_admin:issue_session", pk=certificate.session_id)
    return render(
        request,
        "certificates/admin/reason_form.html",
        {
            "certificate": certificate,
            "form": form,
            "title": _("Re-issue certificate"),
            "button": _("Re-issue"),
            "explanation": _(
                "A new version with a new serial and code is issued from the officer's current "
                "name and agency; this one is shown as replaced."
            ),
        },
    )


def template_preview(request, pk):
    """The template rendered with sample data, shown inline in the browser."""
    if not (
        request.user.has_perm("certificates.change_certificatetemplate")
        or request.user.has_perm("certificates.view_certificatetemplate")
    ):
        raise Http404
    template = get_object_or_404(
        CertificateTemplate.objects.prefetch_related("signatories__signature"), pk=pk
    )
    response = HttpResponse(pdf.render(pdf.sample_data(template)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="preview-{template.key}.pdf"'
    return response


def certificate_admin_links(certificate, user):
    """(label, url) actions for a certificate the user may act on."""
    links = [(_("PDF"), certificate.get_pdf_url())]
    if permissions.can_revoke(user, certificate) and certificate.status in (
        Certificate.Status.VALID,
        Certificate.Status.EXPIRED,
    ):
        links.append((_("Re-issue"), reverse("certificates_admin:reissue", args=[certificate.pk])))
        links.append((_("Revoke"), reverse("certificates_admin:revoke", args=[certificate.pk])))
    return links
