from typing import Any
from uuid import UUID

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .models import ImportJob


def can_watch(user: Any, job: ImportJob) -> bool:
    """The person who started a job watches it, and so do staff granted "view import job"
    (superusers); anyone else gets 404, as if the job did not exist."""
    if not getattr(user, "is_authenticated", False):
        return False
    return job.started_by_id == user.pk or user.has_perm("jobs.view_importjob")


def job_for(user: Any, job_id: UUID | str) -> ImportJob:
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or not can_watch(user, job):
        raise Http404
    return job


def job_status(job: ImportJob) -> dict[str, Any]:
    """What the progress endpoint answers (and the page shows on first load)."""
    return {
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "percent": job.percent,
        "finished": job.finished,
        "errors": job.errors[:50],
        "result": job.result,
    }


# The runners return counts under these keys; labels here so the page and the e-mail show them
# in the reader's language whatever language the worker ran in.
RESULT_LABELS = {
    "registrations_added": _("Registrations added"),
    "marks_written": _("Attendance marks written"),
    "sessions_create": _("Sessions created"),
    "sessions_update": _("Sessions updated"),
    "sessions_unchanged": _("Sessions unchanged"),
}


def result_items(job: ImportJob) -> list[tuple[str, Any]]:
    return [(RESULT_LABELS.get(key, key), value) for key, value in job.result.items()]
