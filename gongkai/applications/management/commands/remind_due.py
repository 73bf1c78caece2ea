"""`gongkai remind_due`: mail each assignee their overdue and due-soon applications and 复议答复 / 诉讼答辩
deadlines (run daily by cron)."""

from __future__ import annotations

from typing import Any

from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from gongkai.applications.reminders import due_by_assignee
from gongkai.core.management.options import date_option


class Command(BaseCommand):
    help = "向经办人发送逾期和即将到期（5个工作日内）的政府信息公开申请提醒。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按该日期计算（YYYY-MM-DD，默认今天）")
        parser.add_argument("--dry-run", action="store_true", help="只列出，不发送邮件")

    def handle(self, *args: Any, **options: Any) -> None:
        today = date_option(options, "date") or timezone.localdate()
        sent = 0
        grouped = due_by_assignee(today=today)
        for email, lines in grouped.items():
            body = "您经办的以下政府信息公开申请（含复议答复、诉讼答辩期限）需要处理：\n\n" + "\n".join(lines)
            if options["dry_run"]:
                self.stdout.write(f"{email}:\n{body}\n")
                continue
            send_mail(f"依申请公开期限提醒（{today.isoformat()}）", body, None, [email])
            sent += 1
        self.stdout.write(f"已发送 {sent} 封提醒邮件，涉及 {sum(len(v) for v in grouped.values())} 件申请。")
