"""`gongkai send_outbox`: send the applicant notifications that are due (run every few minutes by a scheduler)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.core.actors import SYSTEM_CLI
from gongkai.notifications.services import send_due


class Command(BaseCommand):
    help = "发送待发送且已到重试时间的申请人通知（电子邮件、短信）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=200, help="本次最多发送的条数（默认200）")

    def handle(self, *args: Any, **options: Any) -> None:
        report = send_due(actor=SYSTEM_CLI, limit=max(1, options["limit"]))
        self.stdout.write(str(report))
