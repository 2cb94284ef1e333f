"""The certificates app's Wagtail admin: viewsets, their views, filters and forms.

Registered in certificates/wagtail_hooks.py, which keeps only the hook registrations
(bakerydemo style).
"""

import django_filters
from django.urls import path
from django.utils.translation import gettext_lazy as _
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
from courses.translation import in_source_language

from .. import admin_views, permissions
from ..models import Certificate, CertificateTemplate


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


class CertificateFilterSet(WagtailFilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Certificate.Status.choices, method="filter_status"
    )
    course = django_filters.ModelChoiceFilter(
        label=_("Course"),
        field_name="session__course",
        queryset=in_source_language(CoursePage.objects.all()).order_by("title"),
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
