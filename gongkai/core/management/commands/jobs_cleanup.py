"""`gongkai jobs_cleanup [--dry-run]`: delete job inputs and produced files older than GONGKAI_JOB_FILES_DAYS
(core/jobs/cleanup.py); scheduled nightly by celery beat (docs/deploy.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.core.actors import SYSTEM_CLI
from gongkai.core.jobs.cleanup import cleanup_job_files, files_days


class Command(BaseCommand):
    help = "删除超过保存天数（GONGKAI_JOB_FILES_DAYS，默认7天）的后台任务输入文件和结果文件。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只统计，不删除")

    def handle(self, *args: Any, **options: Any) -> None:
        result = cleanup_job_files(actor=SYSTEM_CLI, dry_run=options["dry_run"])
        verb = "将删除" if options["dry_run"] else "已删除"
        self.stdout.write(
            f"{verb} {result.inputs} 个输入文件、{result.outputs} 个结果文件（超过 {files_days()} 天）；"
            f"其中 {result.lost} 个任务长时间未执行，{verb[0]}标为失败。"
        )
