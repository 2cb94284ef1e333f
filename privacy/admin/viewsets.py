"""The privacy app's Wagtail admin: viewsets, their views, filters and forms.

Registered in privacy/wagtail_hooks.py, which keeps only the hook registrations (bakerydemo style).
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from wagtail.admin import messages
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .. import services
from ..models import ErasureRequest


class ErasurePermissionPolicy(ModelPermissionPolicy):
    """Requests come from officers; the generic admin views only read them. Carrying one out
    is its own view, for holders of privacy.change_erasurerequest (programme leads)."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)


register_permission_policy(ErasureRequest, ErasurePermissionPolicy(ErasureRequest))


def carry_out(request, pk):
    """Confirm, then anonymise the person (irreversible)."""
    if not request.user.has_perm("privacy.change_erasurerequest"):
        raise PermissionDenied
    erasure = get_object_or_404(
        ErasureRequest.objects.select_related("user"), pk=pk, status=ErasureRequest.Status.PENDING
    )
    if request.method == "POST":
        try:
            services.anonymise_officer(user=erasure.user, acting_user=request.user)
        except services.ErasureRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("The account has been anonymised."))
        return redirect("privacy_erasures:index")
    return TemplateResponse(
        request,
        "privacy/admin/carry_out.html",
        {"erasure": erasure, "page_title": _("Erase an account"), "header_icon": "user"},
    )


class ErasureIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status == ErasureRequest.Status.PENDING and self.request.user.has_perm(
            "privacy.change_erasurerequest"
        ):
            buttons.append(
                MenuItem(
                    _("Erase this account"),
                    url=reverse("privacy_erasures:carry_out", args=[instance.pk]),
                    icon_name="bin",
                    priority=5,
                )
            )
        return buttons


class ErasureRequestViewSet(ModelViewSet):
    model = ErasureRequest
    index_view_class = ErasureIndexView
    # No "usage" page, so no reason to index its references on every write.
    add_to_reference_index = False
    icon = "user"
    menu_label = _lazy("Erasure requests")
    menu_order = 910
    add_to_admin_menu = True
    exclude_form_fields = []
    list_display = ["user", "origin", "status", "requested_at", "completed_at"]
    list_filter = ["status", "origin"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = True

    def get_urlpatterns(self):
        keep = {"index", "index_results", "inspect"}
        patterns = [p for p in super().get_urlpatterns() if p.name in keep]
        return patterns + [path("<int:pk>/carry-out/", carry_out, name="carry_out")]
