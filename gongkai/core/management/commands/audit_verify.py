"""`gongkai audit_verify`: check the audit hash chain; exit 1 naming the first bad row."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gongkai.core.services import audit_verify


class Command(BaseCommand):
    help = "校验审计日志哈希链：发现被修改或删除的记录时以非零状态退出，并指出第一条问题记录。"

    def handle(self, *args: Any, **options: Any) -> None:
        checked, problem = audit_verify()
        if problem is not None:
            raise CommandError(f"{problem}（已校验 {checked} 条）")
        self.stdout.write(self.style.SUCCESS(f"审计日志完整：共 {checked} 条记录，哈希链校验通过。"))
