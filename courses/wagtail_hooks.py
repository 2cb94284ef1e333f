from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import permissions, selectors
from .admin.viewsets import (
    MaterialDownloadViewSet,
)
from .models import CourseMaterial, MaterialDownload, restricted_collection

# --- Wagtail's own document URL -------------------------------------------------------------


@hooks.register("before_serve_document")
def send_course_materials_through_the_checked_view(document, request):
    """/documents/<id>/<filename> must never hand out a course material unchecked or unlogged.

    Staff (editors previewing in the admin) are served as usual. Anyone else asking for a
    document that is a course material is sent to that material's download view, which checks
    access and logs the download; a document in the restricted collection that is no material
    (yet) is not found.
    """
    if permissions.is_material_staff(request.user):
        return None
    uses = list(CourseMaterial.objects.filter(document=document, page__live=True).order_by("pk"))
    # A document may be public on one course and restricted on another: prefer the public use;
    # the checked view decides per material anyway.
    material = next((m for m in uses if m.is_public), uses[0] if uses else None)
    if material is not None:
        return redirect("courses:material_download", pk=material.pk)
    collection = restricted_collection()
    if collection is not None and (
        document.collection_id == collection.pk or document.collection.is_descendant_of(collection)
    ):
        raise Http404
    return None


# --- My training: the materials section -----------------------------------------------------


@hooks.register("muster_my_training_sections")
def my_training_materials(request):
    return {
        "id": "materials",
        "order": 40,
        "title": _("Materials open to you"),
        "html": render_to_string(
            "courses/my_training_materials.html",
            {"courses": selectors.materials_open_to(request.user)},
            request=request,
        ),
    }


@hooks.register("register_admin_viewset")
def register_material_downloads():
    return MaterialDownloadViewSet("material_downloads")


# --- Personal data (privacy app collects these through hooks) -------------------------------


@hooks.register("muster_personal_data_sections")
def personal_data_downloads(user):
    return {
        "material_downloads": [
            {
                "title": d.title,
                "course": d.course_code,
                "label": d.label,
                "stamped": d.stamped,
                "downloaded_at": d.downloaded_at.isoformat(),
            }
            for d in MaterialDownload.objects.filter(user=user).order_by("downloaded_at", "pk")
        ]
    }
