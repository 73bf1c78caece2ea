"""`gongkai org_export FILE`: write the whole organisation tree as CSV or XLSX (format from the extension)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.orgs.importing import export_orgs
from gongkai.orgs.models import Organisation


class Command(BaseCommand):
    help = "把全部机构导出为 CSV 或 XLSX 文件（按扩展名决定格式），导出的文件可原样再导入。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="输出文件（.csv 或 .xlsx）")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in {"csv", "xlsx"}:
            raise CommandError("输出文件的扩展名应为 .csv 或 .xlsx。")
        orgs = list(Organisation.objects.order_by("path"))
        try:
            path.write_bytes(export_orgs(orgs, fmt))
        except OSError as exc:
            raise CommandError(f"无法写入文件 {path}：{exc.strerror or exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"已导出 {len(orgs)} 个机构到 {path}。"))
