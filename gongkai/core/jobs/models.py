"""The ``Job`` record: what a background job is, who started it, how far it is and how it ended."""

from __future__ import annotations

from django.db import models

from ..fields import NamedInChinese, record_reference, user_reference


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    SUCCEEDED = "succeeded", "已完成"
    FAILED = "failed", "失败"


class Job(models.Model):
    """One run of a registered job kind; the page that started it polls this row.

    ``params`` and ``result`` are JSON for the kind's handler and result page; ``input`` holds the
    uploaded file a job works on (kept until the job succeeds, so a failed job can be retried); ``output``
    the file a job produced (a zip), offered by its result page. Both are removed after
    ``GONGKAI_JOB_FILES_DAYS`` days (``cleanup.py``, the nightly ``jobs_cleanup``).
    ``error`` is the Chinese reason a failed job gives its user.
    """

    kind = models.CharField("类型", max_length=40)
    org = record_reference("orgs.Organisation", "机构")
    actor = user_reference("发起人")
    status = models.CharField("状态", max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField("进度", default=0)
    message = models.CharField("进度说明", max_length=200, blank=True)
    params = models.JSONField("参数", default=dict, blank=True)
    input = models.FileField("输入文件", upload_to="jobs/%Y/%m/", blank=True)
    output = models.FileField("结果文件", upload_to="jobs/out/%Y/%m/", blank=True)
    result = models.JSONField("结果", null=True, blank=True)
    error = models.TextField("失败原因", blank=True)
    attempts = models.PositiveSmallIntegerField("执行次数", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta(NamedInChinese):
        verbose_name = "后台任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["actor", "-created_at"], name="core_job_actor_created")]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="core_job_progress_lte_100")
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def done(self) -> bool:
        return self.status in {JobStatus.SUCCEEDED, JobStatus.FAILED}
