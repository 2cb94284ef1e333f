"""The coordinators' admin for programme leads: grant and remove the role (through the
services, so both are audited), and read the nominations."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .. import services
from ..models import AgencyCoordinator, Nomination


class CoordinatorCreateView(generic.CreateView):
    def form_valid(self, form):
        try:
            self.object = services.grant_coordinator(
                user=form.cleaned_data["user"],
                agency=form.cleaned_data["agency"],
                notify_copies=form.cleaned_data["notify_copies"],
                acting_user=self.request.user,
            )
        except services.CoordinatorRefused as refusal:
            form.add_error(None, refusal.message)
            return self.form_invalid(form)
        messages.success(self.request, self.get_success_message(self.object))
        return redirect(self.get_success_url())


class CoordinatorDeleteView(generic.DeleteView):
    def delete_action(self):
        services.remove_coordinator(coordinator=self.object, acting_user=self.request.user)


class AgencyCoordinatorViewSet(ModelViewSet):
    model = AgencyCoordinator
    icon = "user"
    menu_label = _("Coordinators")
    add_to_admin_menu = False
    name = "agency_coordinators"
    form_fields = ["user", "agency", "notify_copies"]
    list_display = ["user", "agency", "notify_copies", "granted_by", "granted_at"]
    list_filter = ["agency"]
    add_view_class = CoordinatorCreateView
    delete_view_class = CoordinatorDeleteView
    inspect_view_enabled = False
    copy_view_enabled = False

    def get_queryset(self, request):
        return AgencyCoordinator.objects.select_related("user", "agency", "granted_by")


class NominationViewSet(ModelViewSet):
    """Read-only: nominations are made by coordinators and answered by officers."""

    model = Nomination
    icon = "list-ul"
    menu_label = _("Nominations")
    name = "nominations"
    form_fields = ["status"]
    list_display = ["officer", "session", "agency", "status", "holds_seat", "created_at"]
    list_filter = ["status", "session"]
    inspect_view_enabled = True
    copy_view_enabled = False

    def get_queryset(self, request):
        return Nomination.objects.select_related("officer", "session", "agency")


class CoordinatorsGroup(ModelViewSetGroup):
    menu_label = _("Coordinators")
    menu_icon = "group"
    menu_order = 260
    items = (AgencyCoordinatorViewSet, NominationViewSet)
