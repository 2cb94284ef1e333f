from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .models import Agency, Jurisdiction


class JurisdictionViewSet(ModelViewSet):
    model = Jurisdiction
    name = "jurisdictions"
    icon = "globe"
    menu_label = _("Jurisdictions")
    form_fields = ["code", "name", "kind", "parent"]
    list_display = ["name", "code", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


class AgencyViewSet(ModelViewSet):
    model = Agency
    name = "agencies"
    icon = "group"
    menu_label = _("Agencies")
    form_fields = ["name", "acronym", "type", "jurisdiction", "parent"]
    list_display = ["name", "acronym", "type", "jurisdiction"]
    list_filter = ["type"]
    search_fields = ["name", "acronym"]


class AgenciesGroup(ModelViewSetGroup):
    menu_label = _("Agencies")
    menu_icon = "group"
    menu_order = 300
    items = [AgencyViewSet, JurisdictionViewSet]


@hooks.register("register_admin_viewset")
def register_viewsets():
    return AgenciesGroup()
