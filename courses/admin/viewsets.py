"""The courses app's Wagtail admin: viewsets, their views, filters and forms.

Registered in courses/wagtail_hooks.py, which keeps only the hook registrations (bakerydemo style).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from ..models import MaterialDownload

# --- Admin: the download log, read-only -----------------------------------------------------


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """The download log is history: nobody adds, edits or deletes rows in the admin."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)


register_permission_policy(MaterialDownload, ReadOnlyPermissionPolicy(MaterialDownload))


class MaterialDownloadViewSet(ModelViewSet):
    model = MaterialDownload
    icon = "download"
    menu_label = _("Material downloads")
    menu_order = 310
    add_to_admin_menu = True
    exclude_form_fields = []
    list_display = ["downloaded_at", "user", "course_code", "title", "label", "stamped"]
    list_filter = ["label", "stamped", "course_code"]
    search_fields = ["title", "course_code", "user__email", "user__last_name"]
    inspect_view_enabled = True
