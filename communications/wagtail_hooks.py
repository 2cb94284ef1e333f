"""Admin URLs of the communications app, and its sections on pages of the sessions app
(the session page and My training), contributed through hooks so sessions never imports it."""

from django.template.loader import render_to_string
from django.urls import include, path
from django.utils.translation import gettext as _
from wagtail import hooks

from . import admin_views

admin_urlpatterns = [
    path("sessions/<int:pk>/write/", admin_views.compose, name="compose"),
    path("sessions/<int:pk>/", admin_views.session_messages, name="session_messages"),
    path("sessions/<int:pk>/notices/", admin_views.session_notices, name="session_notices"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "messages/",
            include((admin_urlpatterns, "communications_admin"), namespace="communications_admin"),
        )
    ]


@hooks.register("muster_my_training_sections")
def my_training_messages(request):
    from . import selectors

    messages = selectors.messages_for_officer(request.user, limit=20)
    if not messages:
        return None
    title = _("Messages from your trainers")
    return {
        "id": "messages",
        "order": 15,
        "title": title,
        "html": render_to_string(
            "communications/my_training_section.html",
            {"title": title, "messages": messages},
            request=request,
        ),
    }


@hooks.register("muster_session_page_sections")
def session_page_messages(request, session):
    from . import selectors

    messages = selectors.messages_for_officer(request.user, session=session)
    if not messages:
        return ""
    return render_to_string(
        "communications/session_section.html", {"messages": messages}, request=request
    )


# --- Personal data (privacy app collects these through hooks) -------------------------------


@hooks.register("muster_personal_data_sections")
def personal_data_sections(user):
    from .personal_data import sections

    return sections(user)


@hooks.register("muster_anonymise_user")
def anonymise_user(user):
    from .personal_data import anonymise

    anonymise(user)
