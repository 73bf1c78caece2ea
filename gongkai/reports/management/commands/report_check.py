"""`gongkai report_check FILE... [--json]`: import published annual reports and check them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.reports.importing.batch import Progress, run_batch, summary_html, summary_xlsx
from gongkai.reports.importing.present import describe_all


class Command(BaseCommand):
    help = (
        "导入并检查已发布的政府信息公开工作年度报告（网页、文本、Word、PDF，文件夹或 zip 压缩包），"
        "每份报告输出规范 JSON 及检查结果。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", help="报告文件、文件夹或 zip 压缩包")
        parser.add_argument(
            "--json", action="store_true", help="输出 JSON 数组（每份报告一个对象，含 findings）"
        )
        parser.add_argument("--summary-html", default="", help="把汇总表写入此 HTML 文件")
        parser.add_argument("--summary-xlsx", default="", help="把汇总表写入此 Excel 文件")
        parser.add_argument("--no-compare", action="store_true", help="不做同一单位跨年度比对")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, **options: Any) -> None:
        # The raw stream: OutputWrapper would end every "\r" update with a newline.
        stream = getattr(self.stderr, "_out", sys.stderr)
        progress = Progress(stream, enabled=not options["no_progress"])
        docs = run_batch(options["files"], progress=progress, compare=not options["no_compare"])
        if options["summary_html"]:
            Path(options["summary_html"]).write_text(summary_html(docs), encoding="utf-8")
        if options["summary_xlsx"]:
            Path(options["summary_xlsx"]).write_bytes(summary_xlsx(docs))
        if options["json"]:
            self.stdout.write(json.dumps(docs, ensure_ascii=False, indent=1, default=str))
        else:
            self.stdout.write(describe_all(docs))
