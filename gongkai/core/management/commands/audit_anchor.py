"""`gongkai audit_anchor`: append the audit chain's head to the external anchors (meant for cron).

Cheap (no full verification): refuses, with exit 1, when the head does not point at the last row, or
the chain no longer matches or reaches the latest anchor. Example crontab line (every 10 minutes):

    */10 * * * * gongkai /opt/gongkai/.venv/bin/gongkai audit_anchor --quiet
"""

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gongkai.core.services import AuditChainError, audit_anchor

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "把审计日志链头（编号、哈希、时间）追加到外部锚点（只追加的文件和/或 syslog），供定时任务调用。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet", action="store_true", help="成功时不输出。")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            anchor = audit_anchor(source="audit_anchor")
        except AuditChainError as exc:
            logger.error("audit anchor refused: %s", exc)
            raise CommandError(str(exc)) from exc
        if not options["quiet"]:
            self.stdout.write(
                self.style.SUCCESS(f"已锚定链头：第 {anchor['id']} 条（{'、'.join(anchor['written_to'])}）。")
            )
