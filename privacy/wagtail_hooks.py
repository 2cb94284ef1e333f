"""Personal data in the admin (pending erasure requests for programme leads) and the section
on the officer's profile page."""

from django.template.loader import render_to_string
from wagtail import hooks

from . import services
from .admin.viewsets import (
    ErasureRequestViewSet,
)


@hooks.register("muster_profile_sections")
def personal_data_section(request, officer):
    return render_to_string(
        "privacy/profile_section.html",
        {"pending": services.pending_request(request.user)},
        request=request,
    )


@hooks.register("register_admin_viewset")
def register_erasure_requests():
    return ErasureRequestViewSet("privacy_erasures")
