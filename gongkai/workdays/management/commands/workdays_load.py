"""`gongkai workdays_load FILE`: preview a year's arrangement (CSV/JSON), confirm, load it (audited)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandParser

from gongkai.core.actors import SYSTEM_CLI, Actor
from gongkai.workdays.arrangements import parse_arrangement
from gongkai.workdays.services import Plan, arrangement_load, arrangement_plan

from ._common import InputError


def describe_plan(plan: Plan) -> list[str]:
    a = plan.arrangement
    lines = [
        f"{a.year}年节假日安排（{'重新载入，替换已有安排' if plan.reload else '新增年度'}）",
        f"依据：{a.source}" + (f"（原为：{plan.old_source}）" if plan.source_changed else ""),
        f"放假 {len(a.holidays())} 天（含连休的周末），调休上班 {len(a.makeups())} 天。",
    ]
    lines += [
        f"{y}年工作日：{plan.workdays_before[y]} 天 → {after} 天" for y, after in plan.workdays_after.items()
    ]
    lines += [f"提示：{w}" for w in plan.warnings]
    if plan.changes:
        lines.append(f"将作出的更改（{len(plan.changes)} 天）：")
        lines += [f"  {c.describe()}" for c in plan.changes]
    if plan.unchanged:
        lines.append(f"另有 {plan.unchanged} 天与已有安排相同，保持不变。")
    lines += [f"保持不变：{k}" for k in plan.kept]
    return lines


class Command(BaseCommand):
    help = (
        "载入国务院办公厅公布的某一年度节假日安排（CSV 或 JSON 文件）：先显示预览，确认后载入并记入审计日志。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="安排文件（.csv 或 .json）")
        parser.add_argument("--year", default="", help="年度（默认取文件中最晚的年份）")
        parser.add_argument("--source", default="", help="依据：通知名称及文号")
        parser.add_argument("--dry-run", action="store_true", help="只预览，不载入")
        parser.add_argument("--yes", action="store_true", help="不询问，直接确认载入")
        parser.add_argument(
            "--user", default="", help="以该系统管理员的身份载入（记入审计日志）；默认记为“系统”"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise InputError(f"找不到文件：{path}")
        year: int | None = None
        if options["year"]:
            try:
                year = int(options["year"])
            except ValueError:
                raise InputError(f"年度「{options['year']}」不是四位数字年份，例如 2027。") from None
        actor: Actor = SYSTEM_CLI
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise InputError(f"找不到用户「{options['user']}」。")
            actor = user
        try:
            arrangement = parse_arrangement(
                path.read_bytes(), filename=path.name, year=year, source=options["source"]
            )
            plan = arrangement_plan(arrangement=arrangement)
        except ValidationError as exc:
            raise InputError(self._problems(exc)) from exc
        self.stdout.write("\n".join(describe_plan(plan)))
        if not plan.has_changes:
            self.stdout.write(f"与系统中已有的{arrangement.year}年安排完全一致，无需载入。")
            return
        if options["dry_run"]:
            self.stdout.write("仅预览（--dry-run），日历未作任何更改。")
            return
        if not options["yes"]:
            if not sys.stdin.isatty():
                raise InputError("未确认：请加 --yes 确认载入（可先用 --dry-run 预览）。日历未作任何更改。")
            if input("确认载入？输入 y 确认：").strip().lower() not in {"y", "yes", "是"}:
                raise InputError("已取消，日历未作任何更改。")
        try:
            result = arrangement_load(
                actor=actor, arrangement=arrangement, expected_fingerprint=plan.fingerprint
            )
        except ValidationError as exc:
            raise InputError(self._problems(exc)) from exc
        except PermissionDenied as exc:
            raise InputError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(result.summary()))

    @staticmethod
    def _problems(exc: ValidationError) -> str:
        messages = exc.messages
        if len(messages) == 1:
            return f"{messages[0]}\n日历未作任何更改。"
        return f"发现 {len(messages)} 处问题，日历未作任何更改：\n" + "\n".join(f"  - {m}" for m in messages)
