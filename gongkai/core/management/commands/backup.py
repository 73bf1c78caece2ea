"""`gongkai backup --to FILE`: write one archive with the database, every stored file, the audit head and the
audit key id, and a manifest (core/backup). Progress goes to stderr; the backup itself is an audited export."""

import logging
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gongkai.core.actors import SYSTEM_CLI
from gongkai.core.backup import BackupError
from gongkai.core.backup.writer import write_backup
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "备份：把数据库（可移植格式）、全部存储文件、审计链头和审计密钥标识（不含密钥）写入一个归档文件。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--to", required=True, metavar="FILE", help="备份文件路径（.zip），已存在时拒绝覆盖。"
        )
        parser.add_argument("--quiet", action="store_true", help="不输出进度。")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["to"])
        if target.exists():
            raise CommandError(f"{target} 已存在，拒绝覆盖。")
        audit_record(
            actor=SYSTEM_CLI, action=AuditAction.EXPORT, object_type="backup", object_repr="全库备份"
        )
        say = (lambda m: None) if options["quiet"] else (lambda m: self.stderr.write(m))
        partial = target.with_name(target.name + ".partial")
        try:
            manifest = write_backup(partial, progress=say)
        except (BackupError, OSError) as exc:
            partial.unlink(missing_ok=True)
            logger.error("backup failed: %s", type(exc).__name__)
            raise CommandError(f"备份失败：{exc}") from exc
        partial.rename(target)
        rows = sum(t["rows"] for t in manifest["tables"])
        self.stdout.write(
            self.style.SUCCESS(
                f"备份完成：{target}（{len(manifest['tables'])} 张表共 {rows} 行，{len(manifest['files'])} 个文件，"
                f"审计链头第 {manifest['audit_head']['last_entry_id']} 条）。"
            )
        )
        if manifest["missing_files"]:
            raise CommandError(
                f"有 {len(manifest['missing_files'])} 个文件在存储中缺失，已记入清单，请核查。"
            )
