"""Writes of the courses app: logging material downloads."""

import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import record

from .models import CourseMaterial, MaterialDownload

if TYPE_CHECKING:
    from django.http import HttpRequest


@transaction.atomic
def record_download(
    *,
    material: CourseMaterial,
    acting_user: Any,
    stamped: bool,
    when: datetime.datetime | None = None,
    request: "HttpRequest | None" = None,
) -> MaterialDownload:
    """Log one download of `material` by `acting_user` (None when anonymous, public only).

    Every download goes to the download log (MaterialDownload: per material, read by editors
    and leads). A download of restricted material also goes to the audit log, where leads see
    it beside the other consequential acts of the same person; public downloads, anonymous for
    the most part, would only drown the audit log.
    """
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    if not material.is_public:
        record(
            actor=user,
            action=AuditEntry.Action.MATERIAL_DOWNLOADED,
            target=material,
            subject=user,
            after={
                "title": material.title,
                "label": material.label,
                "course": material.page.code,
                "stamped": stamped,
            },
            request=request,
        )
    return MaterialDownload.objects.create(
        user=user,
        material=material,
        title=material.title,
        label=material.label,
        course_code=material.page.code,
        stamped=stamped,
        downloaded_at=when or timezone.now(),
    )
