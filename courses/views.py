import mimetypes

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from . import permissions, services, stamping
from .models import CourseMaterial


def _private(response, filename):
    # Never cached by a browser or a proxy: a shared cache would hand a restricted (or stamped)
    # file to the next person who asks.
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def download_material(request, pk):
    """Check access, log, and send one course material; stamped when AMBER or RED PDF."""
    material = get_object_or_404(CourseMaterial.objects.select_related("page", "document"), pk=pk)
    page = material.page
    # Unpublished pages, and pages behind a Wagtail view restriction the visitor does not
    # pass, do not exist as far as their materials are concerned.
    if not page.live or any(
        not restriction.accept_request(request) for restriction in page.get_view_restrictions()
    ):
        raise Http404
    access = permissions.material_access(request.user, material, login_next=request.get_full_path())
    if not access.allowed:
        response = render(
            request,
            "courses/material_refused.html",
            {"material": material, "course": page, "access": access},
            status=403,
        )
        add_never_cache_headers(response)
        return response

    document = material.document
    filename = document.filename
    stamp = material.is_stamped and request.user.is_authenticated
    if stamp:
        now = timezone.now()
        with document.open_file() as source:
            data = stamping.stamp_pdf(
                source,
                lines=stamping.stamp_lines(request.user, label=material.label, when=now),
                label=material.label,
            )
        services.record_download(
            material=material, acting_user=request.user, stamped=True, request=request
        )
        response = HttpResponse(data, content_type="application/pdf")
    else:
        services.record_download(
            material=material, acting_user=request.user, stamped=False, request=request
        )
        content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        response = FileResponse(document.file.open("rb"), content_type=content_type)
    return _private(response, filename)
