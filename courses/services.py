"""Writes of the courses app: logging material downloads."""

from django.db import transaction
from django.utils import timezone

from .models import MaterialDownload


@transaction.atomic
def record_download(*, material, acting_user, stamped, when=None):
    """Log one download of `material` by `acting_user` (None when anonymous, public only)."""
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    return MaterialDownload.objects.create(
        user=user,
        material=material,
        title=material.title,
        label=material.label,
        course_code=material.page.code,
        stamped=stamped,
        downloaded_at=when or timezone.now(),
    )
