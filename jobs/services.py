"""Writes with consequences for import jobs: starting one (from a confirmed preview) and
recording how it ended. The import itself runs in jobs.runner on the task worker."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import record

from .models import ImportJob

MAX_ERRORS = 500


@transaction.atomic
def start_import(
    *,
    kind: str,
    title: str,
    payload: Any,
    rows_total: int,
    acting_user: Any,
    done_url: str = "",
    request: HttpRequest | None = None,
) -> ImportJob:
    """Queue an import that was previewed and confirmed. The job and its audit entry are
    written together; the worker is asked to run it once they are committed."""
    from .tasks import run_import_job

    job = ImportJob.objects.create(
        kind=kind,
        title=title[:255],
        payload=payload,
        rows_total=rows_total,
        started_by=acting_user,
        done_url=done_url,
    )
    record(
        actor=acting_user,
        action=AuditEntry.Action.IMPORT_STARTED,
        target=job,
        after={"kind": kind, "rows": rows_total},
        summary=job.title,
        request=request,
    )
    job_id = str(job.pk)
    transaction.on_commit(lambda: run_import_job.enqueue(job_id=job_id))
    return job


def finish(
    job: ImportJob, *, result: dict[str, Any] | None = None, errors: Iterable[object] = ()
) -> None:
    """Record the end of a job (in the caller's transaction: the import's own when it
    succeeded, so the result and the imported rows commit together) and mail its starter."""
    from .tasks import send_import_finished

    messages = [str(error) for error in errors]
    job.status = ImportJob.Status.FAILED if messages else ImportJob.Status.SUCCEEDED
    job.errors = messages[:MAX_ERRORS]
    job.result = result or {}
    job.finished_at = timezone.now()
    if not messages:
        job.rows_done = job.rows_total
    job.save(update_fields=["status", "errors", "result", "finished_at", "rows_done"])
    record(
        actor=job.started_by,
        action=(AuditEntry.Action.IMPORT_FAILED if messages else AuditEntry.Action.IMPORT_FINISHED),
        target=job,
        after={"kind": job.kind, "result": job.result, "errors": len(messages)},
        summary=job.title,
    )
    job_id = str(job.pk)
    transaction.on_commit(lambda: send_import_finished.enqueue(job_id=job_id))
