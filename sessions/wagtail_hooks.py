from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import TrainingSession


class TrainingSessionViewSet(ModelViewSet):
    model = TrainingSession
    icon = "date"
    menu_label = _("Sessions")
    menu_order = 200
    add_to_admin_menu = True
    form_fields = [
        "reference",
        "course",
        "delivery",
        "status",
        "cancellation_reason",
        "time_zone",
        "venue",
        "city",
        "country",
        "join_url",
        "capacity",
        "eligibility",
        "host_agency",
        "language",
        "trainers",
        "notes",
    ]
    list_display = ["reference", "course", "start_date", "city", "delivery", "status"]
    list_filter = ["status", "delivery"]
    search_fields = ["reference", "city"]


@hooks.register("register_admin_viewset")
def register_viewsets():
    return TrainingSessionViewSet("sessions")
