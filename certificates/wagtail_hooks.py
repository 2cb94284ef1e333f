"""The Certificates menu in the admin: issued certificates (read-only, filtered), templates
(snippets with a PDF preview) and the "Issue certificates" pages."""

import django_filters
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.models import CoursePage

from . import admin_views, permissions
from .models import Certificate, CertificateTemplate


class CertificatePermissionPolicy(ModelPermissionPolicy):
    """Certificates are never added, edited or deleted through the generic admin views: issuing,
    re-issuing and revoking go through services.py, each behind its own view."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete", "copy"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and (
            permissions.is_programme_lead(user) or permissions.is_trainer_of(user, instance.session)
        )


# Registered before any viewset asks for the policy (Wagtail would create a fallback).
register_permission_policy(Certificate, CertificatePermissionPolicy(Certificate))


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


class CertificateFilterSet(WagtailFilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Certificate.Status.choices, method="filter_status"
    )
    course = django_filters.ModelChoiceFilter(
        label=_("Course"),
        field_name="session__course",
        queryset=CoursePage.objects.order_by("title"),
    )

    class Meta:
        model = Certificate
        fields = ["year", "status", "course"]

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value)


class CertificateIndexView(generic.IndexView):
    def get_base_queryset(self):
        return permissions.certificates_user_may_see_in_admin(
            self.request.user, super().get_base_queryset().prefetch_related("session__trainers")
        )

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        for label, url in admin_views.certificate_admin_links(instance, self.request.user):
            buttons.append(Button(label, url=url, priority=40))
        return buttons


class CertificateInspectView(generic.InspectView):
    def get_object(self, queryset=None):
        certificate = super().get_object(queryset)
        if not permissions.can_download_pdf(self.request.user, certificate):
            from django.http import Http404

            raise Http404
        return certificate

    @property
    def header_more_buttons(self):
        return [
            Button(label, url=url, priority=40)
            for label, url in admin_views.certificate_admin_links(self.object, self.request.user)
        ]


class CertificateViewSet(ModelViewSet):
    model = Certificate
    name = "issued_certificates"
    icon = "doc-full"
    menu_label = _("Issued certificates")
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "serial",
        "officer_name",
        "course_title",
        Column("start_date", label=_("First day"), sort_key="start_date"),
        Column("status", label=_("Status"), accessor="get_status_display"),
        "version",
    ]
    list_export = ["serial", "officer_name", "course_title", "start_date", "status"]
    filterset_class = CertificateFilterSet
    search_fields = ["serial", "officer_name", "course_title"]
    inspect_view_fields = [
        "serial",
        "version",
        "officer_name",
        "agency_name",
        "course_title",
        "session",
        "start_date",
        "end_date",
        "hours",
        "city",
        "template",
        "issued_at",
        "issued_by",
        "expires_on",
        "status",
        "revoked_at",
        "revoked_by",
        "revocation_reason",
        "superseded_by",
        "reissue_reason",
    ]
    form_fields = []


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "form"
    menu_label = _("Certificate templates")
    list_display = ["name", "key", "language", "page_size", "orientation"]


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


class IssueMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return permissions.may_issue_certificates(user)


class CertificatesGroup(ViewSetGroup):
    menu_label = _("Certificates")
    menu_icon = "doc-full"
    menu_order = 250
    submenu_hook = "register_certificates_menu_item"
    items = [CertificateViewSet, CertificateTemplateViewSet]


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


admin_urlpatterns = [
    path("issue/", admin_views.issue_index, name="issue_index"),
    path("issue/<int:pk>/", admin_views.issue_session, name="issue_session"),
    path("issue/<int:pk>/certificates.zip", admin_views.session_zip, name="session_zip"),
    path("<int:pk>/revoke/", admin_views.revoke, name="revoke"),
    path("<int:pk>/reissue/", admin_views.reissue, name="reissue"),
    path(
        "templates/<int:pk>/preview.pdf",
        admin_views.template_preview,
        name="template_preview",
    ),
]


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
