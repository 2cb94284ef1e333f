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


# --- Facts for the courses app (issue 3) ------------------------------------------------------
# `courses` never imports `sessions`; it reads these through wagtail.hooks.get_hooks() (see
# courses/session_facts.py). Kept in one block so it merges cleanly with the sessions rebuild.
from . import course_facts as _course_facts  # noqa: E402
from . import selectors as _selectors  # noqa: E402

hooks.register("muster_course_participation", _selectors.course_participation)
hooks.register("muster_course_session_facts", _course_facts.course_session_facts)
hooks.register("muster_upcoming_sessions", _course_facts.upcoming_sessions)
hooks.register("muster_delivery_formats", _course_facts.delivery_formats)
