"""Enqueue and retry jobs; the Celery task that runs them (eagerly when no broker is configured)."""

from __future__ import annotations

import logging
from pathlib import PurePath
from typing import Any

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gongkai.core.actors import Actor, acting_user, check_actor

from .models import Job, JobStatus
from .registry import JobContext, JobFailed, kind_of

log = logging.getLogger(__name__)

INTERNAL_ERROR = "任务执行时发生内部错误，未完成。请点击“重新执行”；如仍失败，请联系系统管理员。"


def enqueue(
    *,
    kind: str,
    actor: Actor,
    org: Any = None,
    params: dict[str, Any] | None = None,
    data: bytes | None = None,
    filename: str = "input.bin",
) -> Job:
    """Record a job and hand it to the queue once the record is committed."""
    check_actor(actor)
    kind_of(kind)  # an unknown kind fails here, in the request, not in the worker
    job = Job(kind=kind, org=org, actor=acting_user(actor), params=params or {})
    if data is not None:
        # Stored under a neutral name: the uploaded name is shown from params, never used as a path.
        job.input.save(f"input{PurePath(filename).suffix[:10]}", ContentFile(data), save=False)
    job.save()
    _dispatch(job)
    return job


def retry(*, job: Job) -> Job:
    """Put a failed job back in the queue (same record, same input)."""
    if job.status != JobStatus.FAILED:
        raise JobFailed("只有失败的任务可以重新执行。")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, progress=0, message="", error="")
    job.refresh_from_db()
    _dispatch(job)
    return job


def _dispatch(job: Job) -> None:
    job_id = job.pk
    transaction.on_commit(lambda: run_job.delay(job_id))


@shared_task(name="gongkai.run_job", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_job(job_id: int) -> str:
    """Run one job. A job handed out twice (a worker died after finishing it) is not run again."""
    started = Job.objects.filter(pk=job_id, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), progress=0
    )
    if not started:
        return "skipped"
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job_id).update(attempts=job.attempts + 1)
    try:
        result = kind_of(job.kind).handler(JobContext(job))
    except JobFailed as exc:
        _drop_output(job)
        _finish(job, JobStatus.FAILED, error=str(exc))
        return "failed"
    except Exception:
        log.exception("job %s (%s) failed", job_id, job.kind)
        _drop_output(job)
        _finish(job, JobStatus.FAILED, error=INTERNAL_ERROR)
        return "failed"
    _finish(job, JobStatus.SUCCEEDED, result=result)
    if job.input and not kind_of(job.kind).keep_input:
        job.input.delete(save=False)
        Job.objects.filter(pk=job_id).update(input="")
    return "succeeded"


def _drop_output(job: Job) -> None:
    """A failed run offers no half-made file."""
    if job.output:
        job.output.delete(save=False)
        Job.objects.filter(pk=job.pk).update(output="")


def _finish(job: Job, status: str, *, result: Any = None, error: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(
        status=status,
        progress=100 if status == JobStatus.SUCCEEDED else job.progress,
        message="",
        result=result,
        error=error,
        finished_at=timezone.now(),
    )
