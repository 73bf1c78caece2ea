"""`gongkai report_json --org CODE --year YYYY [--format 2019|2021] [--scope self|tree]`: canonical report JSON."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.reports.selectors import report_document

from ._common import add_report_arguments, org_from


class Command(BaseCommand):
    help = "输出某机构某年度政府信息公开工作年度报告的标准 JSON（由台账和填报数据计算）。"

    def add_arguments(self, parser: CommandParser) -> None:
        add_report_arguments(parser)
        parser.add_argument("--check", action="store_true", help="附加检查结果（findings）")

    def handle(self, *args: Any, **options: Any) -> None:
        org = org_from(options)
        doc = report_document(org, options["year"], fmt=options["format"], scope=options["scope"])
        if options["check"]:
            from gongkai.reports.selectors import document_findings

            doc["findings"] = [f.as_dict() for f in document_findings(org, doc)]
        self.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2))
