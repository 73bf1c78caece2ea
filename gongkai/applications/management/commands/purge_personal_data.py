"""`gongkai purge_personal_data [--dry-run]`: remove applicants' personal data past each organisation's
retention period (applications/retention.py); schedule it daily (cron or the job queue)."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gongkai.applications.retention import purge_personal_data
from gongkai.core.actors import SYSTEM_CLI


class Command(BaseCommand):
    help = "删除办结已超过本机构保存期限的申请人个人信息（姓名、证件号码、联系方式、地址、申请材料附件）；统计数据和审计日志不变。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="只列出将被删除个人信息的申请数，不做改动。"
        )
        parser.add_argument("--today", help="按哪一天计算期限（YYYY-MM-DD，默认今天）。")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = dt.date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError as exc:
            raise CommandError("--today 应为 YYYY-MM-DD 格式的日期。") from exc
        result = purge_personal_data(actor=SYSTEM_CLI, today=today, dry_run=options["dry_run"])
        for code, ids in result.by_org.items():
            self.stdout.write(f"机构 {code}：{len(ids)} 件申请")
        verb = "将删除" if result.dry_run else "已删除"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {result.applications} 件申请的申请人个人信息，{result.attachments} 个申请材料附件"
                f"（计算日 {result.today.isoformat()}）。"
            )
        )
