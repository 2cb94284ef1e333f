"""The coordinators admin, and their section of My training (pending nominations, and the
coordinator's link to their agency's record)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail import hooks

from .admin.viewsets import CoordinatorsGroup


@hooks.register("register_admin_viewset")
def register_viewsets():
    return CoordinatorsGroup()


@hooks.register("muster_my_training_sections")
def my_training_nominations(request):
    from . import selectors

    nominations = list(selectors.pending_nominations_for(request.user))
    if not nominations:
        return None
    return {
        "id": "nominations",
        "order": 5,
        "title": _("Nominations awaiting your answer"),
        "html": render_to_string(
            "coordinators/my_training_section.html", {"nominations": nominations}, request=request
        ),
    }


@hooks.register("muster_my_training_sections")
def my_training_coordinator_link(request):
    from . import selectors

    if not selectors.is_coordinator(request.user):
        return None
    return {
        "id": "coordinator",
        "order": 6,
        "title": _("Your agency"),
        "html": format_html(
            '<p><a href="{}">{}</a></p>',
            reverse("coordinators:index"),
            _("Your agency's training record, and nominations"),
        ),
    }
