"""`gongkai workdays_seed [--year Y ...]`: load years from the installed chinesecalendar package."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser

from gongkai.core.actors import SYSTEM_CLI
from gongkai.workdays.services import seed_from_package

from ._common import InputError


class Command(BaseCommand):
    help = (
        "从已安装的 chinesecalendar 软件包载入节假日安排（已一致的年度跳过，变化记入审计日志）。"
        "软件包发布新年度数据后可用此命令代替手工上传。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", action="append", type=str, default=[], help="只载入这些年度（可重复）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            years = [int(y) for y in options["year"]] or None
        except ValueError:
            raise InputError("年度须为四位数字，例如 --year 2027。") from None
        try:
            results = seed_from_package(actor=SYSTEM_CLI, years=years)
        except ValidationError as exc:
            raise InputError("；".join(exc.messages)) from exc
        for result in results:
            self.stdout.write(result.summary())
