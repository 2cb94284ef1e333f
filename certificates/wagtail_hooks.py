"""The Certificates menu in the admin: issued certificates (read-only, filtered), templates
(snippets with a PDF preview) and the "Issue certificates" pages."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button

from .admin.viewsets import (
    CertificatesGroup,
    IssueMenuItem,
    admin_urlpatterns,
)
from .models import Certificate, CertificateTemplate


@hooks.register("register_log_actions")
def register_certificate_log_actions(actions):
    actions.register_action("certificates.issue", _("Issue certificate"), _("Certificate issued"))
    actions.register_action(
        "certificates.reissue", _("Re-issue certificate"), _("Certificate re-issued")
    )
    actions.register_action(
        "certificates.supersede", _("Replace certificate"), _("Certificate replaced")
    )
    actions.register_action(
        "certificates.revoke", _("Revoke certificate"), _("Certificate revoked")
    )
    actions.register_action(
        "certificates.override", _("Override eligibility"), _("Eligibility overridden")
    )


@hooks.register("register_snippet_listing_buttons")
def template_preview_button(snippet, user, next_url=None):
    if isinstance(snippet, CertificateTemplate):
        yield Button(
            _("Preview PDF"),
            url=reverse("certificates_admin:template_preview", args=[snippet.pk]),
            icon_name="view",
            priority=5,
            attrs={"target": "_blank", "rel": "noopener"},
        )


@hooks.register("register_certificates_menu_item")
def register_issue_menu_item():
    return IssueMenuItem(
        _("Issue certificates"),
        reverse("certificates_admin:issue_index"),
        icon_name="success",
        order=0,
    )


@hooks.register("register_admin_viewset")
def register_viewsets():
    return CertificatesGroup()


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "certificate-tools/",
            include((admin_urlpatterns, "certificates_admin"), namespace="certificates_admin"),
        )
    ]


# --- My training: the certificates section -----------------------------------------------------


@hooks.register("muster_my_training_sections")
def my_training_certificates(request):
    from django.template.loader import render_to_string

    from .my_training import certificates_section

    section = certificates_section(request)
    return {
        "id": "certificates",
        "order": 30,
        "title": section["title"],
        "html": render_to_string(section["template"], section["context"], request=request),
    }


# --- A past session's page links the officer's certificate (sessions/selectors.py) ----------------


@hooks.register("muster_session_certificate")
def session_certificate(session, officer):
    return (
        Certificate.objects.filter(
            session=session, officer=officer, superseded_by__isnull=True, revoked_at__isnull=True
        )
        .order_by("-version")
        .first()
    )


# --- Course pages choose their template from these -----------------------------------------------


@hooks.register("muster_certificate_template_choices")
def certificate_template_choices():
    return list(CertificateTemplate.objects.order_by("name").values_list("key", "name"))


# --- Personal data (privacy app collects these through hooks) -------------------------------


@hooks.register("muster_personal_data_sections")
def personal_data_certificates(user):
    from .selectors import certificates_of_officer

    return {
        "certificates": [
            {
                "serial": c.serial,
                "verification_url": c.get_verification_url(),
                "session": c.session.reference,
                "course": c.course_title,
                "name_printed": c.officer_name,
                "agency_printed": c.agency_name,
                "first_day": c.start_date.isoformat(),
                "last_day": c.end_date.isoformat(),
                "issued_at": c.issued_at.isoformat(),
                "expires_on": c.expires_on.isoformat() if c.expires_on else None,
                "status": c.status,
                "revocation_reason": c.revocation_reason,
            }
            for c in certificates_of_officer(user)
        ]
    }


@hooks.register("muster_anonymise_user")
def anonymise_certificates(user):
    # Serials and dates stay (they count in the yearly figures and a holder's printed copy keeps
    # checking); the name goes. The public page then says the name was erased (views.verify).
    Certificate.objects.filter(officer=user).update(officer_name="")
