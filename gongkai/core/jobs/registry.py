"""Job kinds as data: each app registers its long work once, with a label, a handler and a result page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gongkai.core.actors import SYSTEM_SCHEDULER, Actor

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.http.response import HttpResponseBase

    from .models import Job


class JobFailed(Exception):  # noqa: N818 — a job's own, expected failure, not a bug
    """Raised by a handler to end its job as failed with a Chinese reason shown to the user."""


class JobContext:
    """What a handler gets: the job's parameters, input file and actor, and a way to report progress."""

    def __init__(self, job: Job) -> None:
        self.job = job

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.job.params or {})

    @property
    def actor(self) -> Actor:
        return self.job.actor if self.job.actor_id else SYSTEM_SCHEDULER

    def input_bytes(self) -> bytes:
        if not self.job.input:
            raise JobFailed("任务的输入文件已不存在，请重新提交。")
        with self.job.input.open("rb") as handle:
            return handle.read()

    def save_output(self, content: Any, *, suffix: str = ".zip") -> None:
        """Keep the file the job produced (bytes or an open binary file), stored under a neutral name and
        offered by the kind's result page; a run handed out again replaces the earlier run's file."""
        from django.core.files.base import ContentFile, File

        from .models import Job

        if self.job.output:
            self.job.output.delete(save=False)
        file = ContentFile(content) if isinstance(content, bytes) else File(content)
        self.job.output.save(f"output{suffix[:10]}", file, save=False)
        Job.objects.filter(pk=self.job.pk).update(output=self.job.output.name)

    def record_result(self, result: Any) -> None:
        """Mark the job 已完成 with ``result`` in the caller's transaction. A handler whose work is one
        transaction calls it inside that transaction, so the work and the job's completion commit together:
        a worker killed just after the commit leaves a finished job, which the broker's second delivery skips,
        never committed work that would be done twice."""
        from django.utils import timezone

        from .models import Job, JobStatus

        Job.objects.filter(pk=self.job.pk).update(
            status=JobStatus.SUCCEEDED, progress=100, message="", result=result, finished_at=timezone.now()
        )

    def progress(self, percent: float, message: str = "") -> None:
        """Record progress (0–100) at once, outside the handler's transaction, so the page sees it."""
        from .models import Job

        value = max(0, min(99, int(percent)))  # 100 only when the job has succeeded
        Job.objects.filter(pk=self.job.pk).update(progress=value, message=message[:200])
        self.job.progress, self.job.message = value, message[:200]


Handler = Callable[[JobContext], Any]
ResultPage = Callable[["HttpRequest", "Job"], "HttpResponseBase"]  # a page, or a file it offers


@dataclass(frozen=True)
class JobKind:
    """One kind of job: ``handler(ctx)`` returns the JSON result; ``result_page`` renders it for the user."""

    kind: str
    label: str  # Chinese, shown on the job's page
    handler: Handler
    result_page: ResultPage
    back_url: str = "backoffice:dashboard"  # where the user goes to start another one
    # Keep the input after success (its result page reads it again) until the nightly ``jobs_cleanup``
    # (``GONGKAI_JOB_FILES_DAYS``). Otherwise the input is deleted as soon as the job succeeds.
    keep_input: bool = False


_KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> None:
    if kind.kind in _KINDS and _KINDS[kind.kind] != kind:
        raise ValueError(f"job kind {kind.kind!r} registered twice")
    _KINDS[kind.kind] = kind


def kind_of(name: str) -> JobKind:
    return _KINDS[name]
