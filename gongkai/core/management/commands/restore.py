"""`gongkai restore FILE`: restore a backup into an empty database (migrated first), the audit key taken from
the environment; checks row counts, file hashes and the audit chain (core/backup/reader.py)."""

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gongkai.core.backup import BackupError
from gongkai.core.backup.reader import restore_backup

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "恢复：把备份文件恢复到空数据库（先执行迁移；非空库拒绝）；审计密钥取自环境变量 GONGKAI_AUDIT_KEY；"
        "恢复后核对行数、文件哈希和审计链。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="gongkai backup 写出的备份文件")
        parser.add_argument("--quiet", action="store_true", help="不输出进度。")

    def handle(self, *args: Any, **options: Any) -> None:
        say = (lambda m: None) if options["quiet"] else (lambda m: self.stderr.write(m))
        try:
            result = restore_backup(options["file"], progress=say)
        except FileNotFoundError as exc:
            raise CommandError(f"找不到备份文件 {options['file']}。") from exc
        except BackupError as exc:
            logger.error("restore refused or failed: %s", exc)
            raise CommandError(str(exc)) from exc
        # Not an audit row: the restored chain must equal the backup's (its head is checked); the log says it.
        logger.info("restored a backup: %d tables, %d files, %d audit rows", result["tables"], result["files"],
                    result["audit_rows"])  # fmt: skip
        self.stdout.write(
            self.style.SUCCESS(
                f"恢复完成：{result['tables']} 张表、{result['files']} 个文件与清单一致，"
                f"审计链 {result['audit_rows']} 条校验通过。"
            )
        )
