"""`gongkai workdays_due --received YYYY-MM-DD --days N [--json]`: a due date with its explanation."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.workdays.arithmetic import WorkdaysError, due_date
from gongkai.workdays.forms import parse_date_input, parse_days_input

from ._common import InputError


class Command(BaseCommand):
    help = "计算期限：收到申请之日后第 N 个工作日（当日不计入，跳过周末和节假日，调休上班日计入）。"

    def add_arguments(self, parser: CommandParser) -> None:
        # Plain strings: the command checks them itself and answers in Chinese.
        parser.add_argument("--received", default="", help="收到申请之日，格式 YYYY-MM-DD")
        parser.add_argument("--days", default="", help="工作日天数（不小于 0 的整数），例如 20")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出 {due, provisional, steps}")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            received = parse_date_input(options["received"], label="收到申请之日（--received）")
            days = parse_days_input(options["days"])
            result = due_date(received, days)
        except WorkdaysError as exc:
            raise InputError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
            return
        flag = "（暂定）" if result.provisional else ""
        lines = [f"期限：{result.due.isoformat()}{flag}", "计算过程："]
        lines += [f"  {i}. {step}" for i, step in enumerate(result.steps, start=1)]
        self.stdout.write("\n".join(lines))
