"""Tasks of background jobs: running an import, and telling its starter how it ended."""

from django.conf import settings
from django_tasks import task

from accounts import languages


@task()
def run_import_job(*, job_id):
    from .runner import run_job

    return run_job(job_id)


@task()
def send_import_finished(*, job_id):
    """E-mail whoever started an import that it finished (or failed), once: see jobs.mail."""
    from .mail import send_once
    from .models import ImportJob
    from .selectors import result_items

    job = ImportJob.objects.select_related("started_by").get(pk=job_id)
    if job.started_by is None or not job.started_by.email or not job.finished:
        return False
    context = {
        "job": job,
        "result_items": result_items(job),
        "base_url": settings.WAGTAILADMIN_BASE_URL,
        "programme": settings.MUSTER_PROGRAMME_NAME,
    }
    # In the recipient's language, not the language of whoever's request queued it.
    message = languages.email_for(
        job.started_by,
        "jobs/email/import_finished_subject.txt",
        "jobs/email/import_finished_body.txt",
        context,
    )
    return send_once(f"import-finished:{job.pk}", message)
