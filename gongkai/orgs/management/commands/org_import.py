"""`gongkai org_import FILE [--dry-run]`: import the organisation tree from CSV or XLSX (all rows or none)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.actors import SYSTEM_IMPORT
from gongkai.core.management.files import read_file_argument
from gongkai.orgs.importing import import_orgs


class Command(BaseCommand):
    help = (
        "从 CSV 或 XLSX 文件导入机构（按“代码”新增或更新）。任何一行有错，整份文件都不导入，"
        "并逐行列出错误。--dry-run 只校验，不导入。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="机构表文件（.csv 或 .xlsx）")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不导入")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        data = read_file_argument(path)
        result = import_orgs(actor=SYSTEM_IMPORT, data=data, filename=path.name, dry_run=options["dry_run"])
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"发现 {len(result.errors)} 处错误，未导入任何数据。")
        if options["dry_run"]:
            self.stdout.write(self.style.SUCCESS(f"校验通过（未导入）：将{result.summary()}。"))
        else:
            self.stdout.write(self.style.SUCCESS(f"导入完成：{result.summary()}。"))
