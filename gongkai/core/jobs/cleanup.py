"""Job files do not stay forever: inputs (an organisation list, a 台账 naming applicants) and produced files
(a zip of reports) older than ``GONGKAI_JOB_FILES_DAYS`` are deleted, nightly (`gongkai jobs_cleanup`).

A succeeded job's input is deleted at once by the run itself (unless its kind keeps it for its result page,
``JobKind.keep_input``: then here, at the cut-off); a failed job's input is kept for a retry until
the cut-off, after which 重新执行 answers that the input is gone (``JobContext.input_bytes``). A job still
queued at the cut-off was lost (no worker took it): it is failed with that reason. A job 进行中 is never
touched. One audit row per run that deleted anything (counts only).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.core.actors import Actor
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record

from .models import Job, JobStatus

DEFAULT_DAYS = 7
LOST = "任务长时间未执行，输入文件已按保存期限删除，请重新提交。"


@dataclass
class Cleanup:
    inputs: int = 0
    outputs: int = 0
    lost: int = 0


def files_days() -> int:
    return int(getattr(settings, "GONGKAI_JOB_FILES_DAYS", DEFAULT_DAYS))


def cleanup_job_files(*, actor: Actor, now: dt.datetime | None = None, dry_run: bool = False) -> Cleanup:
    cutoff = (now or timezone.now()) - dt.timedelta(days=files_days())
    old = Job.objects.exclude(status=JobStatus.RUNNING).filter(created_at__lt=cutoff)
    old = old.filter(Q(finished_at__isnull=True) | Q(finished_at__lt=cutoff))
    with_input = list(old.exclude(input=""))
    with_output = list(old.exclude(output=""))
    result = Cleanup(
        inputs=len(with_input),
        outputs=len(with_output),
        lost=sum(1 for j in with_input if j.status == JobStatus.QUEUED),
    )
    if dry_run or not (with_input or with_output):
        return result
    names: list[tuple[Any, str]] = []
    with transaction.atomic():
        for job in with_input:
            names.append((job.input.storage, job.input.name))
            fields: dict[str, Any] = {"input": ""}
            if job.status == JobStatus.QUEUED:
                fields |= {"status": JobStatus.FAILED, "error": LOST, "finished_at": timezone.now()}
            Job.objects.filter(pk=job.pk).update(**fields)
        for job in with_output:
            names.append((job.output.storage, job.output.name))
            Job.objects.filter(pk=job.pk).update(output="")
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            object_type="core.job",
            object_repr="过期的任务文件",
            changes={"inputs": result.inputs, "outputs": result.outputs, "days": files_days()},
        )

        def delete_files() -> None:
            for storage, name in names:
                storage.delete(name)

        transaction.on_commit(delete_files)
    return result
