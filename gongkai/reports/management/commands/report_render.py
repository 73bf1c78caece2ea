"""`gongkai report_render --org CODE --year YYYY [--format] [--scope] --to FILE.(html|docx|pdf|xlsx)`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.reports.render import FORMATS_OUT, render
from gongkai.reports.selectors import latest_version, monthly_received, report_document

from ._common import add_report_arguments, org_from


class Command(BaseCommand):
    help = "把年度报告输出为 HTML、DOCX、PDF 或 XLSX（按 --to 的扩展名）。"

    def add_arguments(self, parser: CommandParser) -> None:
        add_report_arguments(parser)
        parser.add_argument("--to", required=True, help="输出文件：.html、.docx、.pdf 或 .xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["to"])
        kind = path.suffix.lower().lstrip(".")
        if kind not in FORMATS_OUT:
            raise CommandError("输出文件的扩展名应为 .html、.docx、.pdf 或 .xlsx。")
        org = org_from(options)
        doc = report_document(org, options["year"], fmt=options["format"], scope=options["scope"])
        if doc["table3"] is None:
            raise CommandError(f"{options['year']}年度（2019年以前）没有统一的报告表格，无法输出。")
        report = latest_version(org, options["year"])
        kwargs: dict[str, Any] = {"sections_html": report.sections if report else None}
        if kind in ("html", "pdf"):
            kwargs["monthly"] = monthly_received(org, options["year"], options["scope"])
        try:
            path.write_bytes(render(doc, kind, **kwargs))
        except OSError as exc:
            raise CommandError(f"无法写入文件 {path}：{exc.strerror or exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"已输出 {path}。"))
