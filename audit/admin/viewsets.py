"""The audit app's Wagtail admin: viewsets, their views, filters and forms.

Registered in audit/wagtail_hooks.py, which keeps only the hook registrations (bakerydemo style).
"""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from ..models import AuditEntry


class AuditPermissionPolicy(ModelPermissionPolicy):
    """Only "view": the log is written by services, never through the admin."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)


register_permission_policy(AuditEntry, AuditPermissionPolicy(AuditEntry))


def _target_types(request):
    used = AuditEntry.objects.order_by().values("target_type").distinct()
    return ContentType.objects.filter(pk__in=used).order_by("app_label", "model")


class AuditEntryFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(label=_("Action"), choices=AuditEntry.Action.choices)
    actor = django_filters.CharFilter(label=_("Who"), method="filter_actor")
    created_at = django_filters.DateFromToRangeFilter(label=_("When"), widget=DateRangePickerWidget)
    target_type = django_filters.ModelChoiceFilter(label=_("Object type"), queryset=_target_types)

    class Meta:
        model = AuditEntry
        fields = []

    def filter_actor(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(actor_label__icontains=value) | Q(actor__email__iexact=value))


class AuditIndexView(IndexView):
    def get_base_queryset(self):
        # The object-type column would otherwise cost one query per row.
        return super().get_base_queryset().select_related("target_type")


class AuditEntryViewSet(ModelViewSet):
    model = AuditEntry
    index_view_class = AuditIndexView
    # No "usage" page, so no reason to index its references on every write.
    add_to_reference_index = False
    icon = "history"
    menu_label = _("Audit log")
    menu_order = 900
    add_to_admin_menu = True
    exclude_form_fields = []
    list_display = ["created_at", "who", "action", "target_type", "target_label", "summary"]
    filterset_class = AuditEntryFilterSet
    search_fields = ["actor_label", "target_label", "summary"]
    # The log is not in the Wagtail search index: plain database lookups.
    search_backend_name = None
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 50

    def get_urlpatterns(self):
        # Only reading: the edit, delete, add, copy, history and usage URLs do not exist.
        keep = {"index", "index_results", "inspect"}
        return [pattern for pattern in super().get_urlpatterns() if pattern.name in keep]
