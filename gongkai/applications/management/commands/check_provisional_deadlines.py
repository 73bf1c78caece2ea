"""`gongkai check_provisional_deadlines [--date D] [--dry-run]`: tell each 公开办 its open applications whose
deadline is provisional, and the 系统管理员 when a year's holiday arrangement is missing (applications/provisional.py);
scheduled daily by celery beat (docs/deploy.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from gongkai.applications.provisional import check_provisional_deadlines
from gongkai.core.actors import SYSTEM_CLI
from gongkai.core.management.options import date_option


class Command(BaseCommand):
    help = (
        "检查期限为暂定（计入节假日安排尚未载入的年度）的未办结申请并提醒公开办；"
        "12月起下一年度节假日安排尚未载入时提醒系统管理员。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按该日期检查（YYYY-MM-DD，默认今天）")
        parser.add_argument("--dry-run", action="store_true", help="只列出，不发送邮件、不记录审计日志")

    def handle(self, *args: Any, **options: Any) -> None:
        today = date_option(options, "date") or timezone.localdate()
        result = check_provisional_deadlines(actor=SYSTEM_CLI, today=today, dry_run=options["dry_run"])
        for code, codes in result.by_office.items():
            self.stdout.write(f"公开办 {code}：{len(codes)} 件期限暂定（{'、'.join(codes)}）")
        for year in result.missing_years:
            self.stdout.write(f"{year}年节假日安排尚未载入")
        found = f"{len(result.by_office)} 个公开办：共 {result.applications} 件申请期限暂定"
        mailed = "" if options["dry_run"] else f"；发送 {result.mailed} 封邮件"
        verb = "将提醒" if options["dry_run"] else "已提醒"
        self.stdout.write(f"{verb} {found}{mailed}（检查日 {today.isoformat()}）。")
