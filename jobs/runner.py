"""Running an import job on the worker: all or nothing, with progress the page can poll."""

import contextlib
import logging

from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import services
from .models import ImportJob
from .progress import Progress
from .registry import ImportFailed, runner_for

logger = logging.getLogger(__name__)


def run_job(job_id):
    """Run one job. A job already finished is left alone, so a task run twice (a retry, a
    requeued task whose worker died mid-import, which rolled the import back) imports once."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.finished:
            return job.status
        job.status = ImportJob.Status.RUNNING
        job.started_at = timezone.now()
        job.rows_done = 0
        job.save(update_fields=["status", "started_at", "rows_done"])
    progress = Progress(job)
    try:
        with transaction.atomic():
            result = runner_for(job.kind)(job, progress)
            services.finish(job, result=result)
    except ImportFailed as failed:
        with transaction.atomic():
            services.finish(job, errors=failed.errors or [_("Nothing was imported.")])
    except (OperationalError, InterfaceError):
        # The database went away: nothing was written. Let the worker retry the task later
        # (jobs.worker backs off); the job waits, queued, meanwhile.
        _requeue(job)
        raise
    except DatabaseError:
        logger.exception("Import job %s failed on a database error", job_id)
        with transaction.atomic():
            services.finish(
                job, errors=[_("The database refused the import: nothing was imported.")]
            )
    except Exception:
        logger.exception("Import job %s failed", job_id)
        with transaction.atomic():
            services.finish(
                job, errors=[_("The import stopped on an unexpected error: nothing was imported.")]
            )
    return job.status


def _requeue(job):
    # Still down: the job stays "running" until its task runs again.
    with contextlib.suppress(DatabaseError):
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED, rows_done=0)
