"""The page that follows an import job, and the small JSON answer it polls."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from . import selectors


@login_required
def job_detail(request, job_id):
    job = selectors.job_for(request.user, job_id)
    return render(
        request,
        "jobs/import_job.html",
        {
            "job": job,
            "status": selectors.job_status(job),
            "result_items": selectors.result_items(job),
        },
    )


@login_required
def job_progress(request, job_id):
    job = selectors.job_for(request.user, job_id)
    response = JsonResponse(selectors.job_status(job))
    add_never_cache_headers(response)
    return response
