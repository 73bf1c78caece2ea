"""A background job's page: the progress bar while it runs, then its kind's result page or why it failed.

Only the user who started a job sees it (others get a 404, as if it did not exist).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gongkai.core.jobs import JobFailed, kind_of, retry
from gongkai.core.models import Job, JobStatus
from gongkai.core.views import get_permitted_or_404

NOT_FOUND = "没有找到该任务。"


def _own_job(request: HttpRequest, pk: int) -> Job:
    return get_permitted_or_404(Job.objects.all(), lambda j: j.actor_id == request.user.pk, NOT_FOUND, pk=pk)


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = _own_job(request, pk)
    kind = kind_of(job.kind)
    if job.status == JobStatus.SUCCEEDED:
        return kind.result_page(request, job)
    return render(
        request, "backoffice/job.html", {"job": job, "kind": kind, "back_url": reverse(kind.back_url)}
    )


@never_cache
@login_required
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """What the progress bar polls: status, percentage and the current step, in Chinese."""
    job = _own_job(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "progress": job.progress,
            "message": job.message,
            "done": job.done,
        }
    )


@require_POST
@login_required
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = _own_job(request, pk)
    try:
        retry(job=job)
    except JobFailed as exc:
        messages.error(request, str(exc))
    return redirect("backoffice:job", pk=job.pk)
