"""The trainer's workspace in the admin: "My sessions" (a page and a dashboard panel) lists the
upcoming sessions a person trains and gives one click to each of the session's tools."""

from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts import roles

from ..schedule import selectors


def session_rows(user):
    """Each upcoming session with the day whose QR code a trainer most likely wants: today's if
    the session runs today, else its first day."""
    today = timezone.localdate()
    rows = []
    for session in selectors.trainer_upcoming_sessions(user, today=today):
        days = sorted(session.days.all(), key=lambda day: day.date)
        qr_day = next((day for day in days if day.date == today), days[0] if days else None)
        rows.append({"session": session, "qr_day": qr_day, "days": days})
    return rows


class MySessionsView(WagtailAdminTemplateMixin, TemplateView):
    """Open to everyone with admin access (Wagtail's own check); it shows only the sessions the
    person trains, so a lead without sessions sees an empty list and a pointer to all sessions."""

    template_name = "training_sessions/admin/my_sessions.html"
    page_title = _("My sessions")
    header_icon = "date"

    def get_context_data(self, **kwargs):
        return super().get_context_data(rows=session_rows(self.request.user), **kwargs)


class MySessionsPanel(Component):
    """The same list on the admin dashboard of a person who trains sessions."""

    name = "my_sessions"
    template_name = "training_sessions/admin/my_sessions_panel.html"
    order = 40

    def __init__(self, rows):
        self.rows = rows

    def get_context_data(self, parent_context):
        return {"rows": self.rows}


urlpatterns = [
    path(
        "my-sessions/",
        include(
            ([path("", MySessionsView.as_view(), name="index")], "my_sessions"),
            namespace="my_sessions",
        ),
    )
]


class TrainerMenuItem(MenuItem):
    """Shown only to people who train sessions (accounts/roles.py)."""

    def is_shown(self, request):
        return roles.is_trainer(request.user)


def my_sessions_menu_item():
    return TrainerMenuItem(
        _("My sessions"),
        reverse("my_sessions:index"),
        name="my-sessions",
        icon_name="date",
        order=190,
    )
