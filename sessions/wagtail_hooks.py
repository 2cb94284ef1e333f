"""The sessions admin: sessions with their days inline (scoped to the trainers who train them),
status changes, "schedule again", exports; training requests for programme leads."""

from wagtail import hooks

from accounts import roles

from .admin.viewsets import (
    SchedulingGroup,
)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return SchedulingGroup()


@hooks.register("register_admin_urls")
def register_admin_urls():
    from django.urls import include, path

    from .admin.choices import search_choices

    # The session form's search-as-you-type (admin/choices.py).
    patterns = [path("<str:kind>/", search_choices, name="search")]
    return [path("session-choices/", include((patterns, "session_choices")))]


# --- Hooks for other apps ---
# --- Facts for the courses app (issue 3) ------------------------------------------------------
# `courses` never imports `sessions`; it reads these through wagtail.hooks.get_hooks() (see
# courses/session_facts.py). Kept in one block so it merges cleanly with the sessions rebuild.
from . import course_facts as _course_facts  # noqa: E402
from .attendance import selectors as attendance_selectors  # noqa: E402

hooks.register("muster_course_participation", attendance_selectors.course_participation)
hooks.register("muster_course_session_facts", _course_facts.course_session_facts)
hooks.register("muster_upcoming_sessions", _course_facts.upcoming_sessions)
hooks.register("muster_delivery_formats", _course_facts.delivery_formats)


# --- Personal data (privacy app collects these through hooks) -------------------------------


@hooks.register("muster_personal_data_sections")
def personal_data_sections(user):
    from .personal_data import sections

    return sections(user)


@hooks.register("muster_anonymise_user")
def anonymise_user(user):
    from .personal_data import anonymise

    anonymise(user)


# --- The trainer's workspace: My sessions (sessions/admin/my_sessions.py) ---------------------


@hooks.register("register_admin_urls")
def register_my_sessions_url():
    from .admin.my_sessions import urlpatterns

    return urlpatterns


@hooks.register("register_admin_menu_item")
def register_my_sessions_menu_item():
    from .admin.my_sessions import my_sessions_menu_item

    return my_sessions_menu_item()


@hooks.register("construct_homepage_panels")
def add_my_sessions_panel(request, panels):
    from .admin.my_sessions import MySessionsPanel, session_rows

    if roles.is_trainer(request.user):
        rows = session_rows(request.user)
        if rows:
            panels.append(MySessionsPanel(rows))
