"""`gongkai audit_verify`: check the audit hash chain against its key and anchors; then anchor the head.

Exit 1 naming the first bad row (or the anchor the chain falls short of). On success the verified head
is appended to the external anchors (GONGKAI_AUDIT_ANCHOR_FILE / GONGKAI_AUDIT_ANCHOR_SYSLOG).
"""

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gongkai.core import chain
from gongkai.core.services import AuditChainError, audit_anchor, audit_verify

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "校验审计日志哈希链（带密钥）及外部锚点：发现被修改或删除的记录时以非零状态退出，并指出第一条问题记录；"
        "校验通过后把链头追加到外部锚点。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-anchor", action="store_true", help="只校验，不追加锚点。")

    def handle(self, *args: Any, **options: Any) -> None:
        checked, problem = audit_verify()
        if problem is not None:
            logger.error("audit chain verification failed after %d rows: %s", checked, problem)
            raise CommandError(f"{problem}（已校验 {checked} 条）")
        self.stdout.write(self.style.SUCCESS(f"审计日志完整：共 {checked} 条记录，哈希链校验通过。"))
        try:
            anchored = bool(chain.read_anchors())
        except chain.AnchorFileError:
            anchored = True  # audit_verify() already reported an unreadable anchor file
        if checked and not anchored and chain.anchor_file() is not None:
            self.stdout.write(
                self.style.WARNING(
                    "注意：此前没有任何外部锚点，末尾记录被删除将无法发现。本次校验后开始锚定；"
                    "请用定时任务运行 gongkai audit_anchor。"
                )
            )
        if options["no_anchor"]:
            return
        if chain.anchor_file() is None and not chain.anchor_syslog():
            self.stdout.write(self.style.WARNING("未配置外部锚点，本次未锚定链头。"))
            return
        try:
            anchor = audit_anchor(entry_id=checked, source="audit_verify")
        except AuditChainError as exc:
            logger.error("audit anchor refused after verification: %s", exc)
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已锚定链头：第 {anchor['id']} 条（{'、'.join(anchor['written_to'])}）。")
