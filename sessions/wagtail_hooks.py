"""The sessions admin: sessions with their days inline (scoped to the trainers who train them),
status changes, "schedule again", exports; training requests for programme leads."""

from wagtail import hooks

from .admin.viewsets import (
    SchedulingGroup,
)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return SchedulingGroup()


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
