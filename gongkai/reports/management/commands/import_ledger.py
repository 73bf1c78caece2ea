"""`gongkai import_ledger FILE --org CODE [--kind applications|remedies|figures] [--dry-run]`: import a 台账."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from gongkai.applications import ledger
from gongkai.core import uploads
from gongkai.core.actors import SYSTEM_IMPORT
from gongkai.core.management.files import read_file_argument
from gongkai.core.tables import TableFileError, read_sheet
from gongkai.orgs.selectors import org_by_code
from gongkai.reports.services import FIGURE_COLUMNS, import_figures

SHEETS = {"applications": ledger.APPLICATION_SHEET, "remedies": ledger.REMEDY_SHEET, "figures": "表二"}


class _Rollback(Exception):
    pass


def _kinds_in(data: bytes, filename: str) -> list[str]:
    """The kinds a file holds: XLSX sheets named 申请/复议诉讼/表二, or a CSV recognised by its header."""
    if filename.lower().endswith((".xlsx", ".xlsm")):
        import io

        from openpyxl import load_workbook

        try:
            uploads.check_xlsx(data)  # the shared guard, before openpyxl inflates anything
        except uploads.UploadRefused as exc:
            raise CommandError(str(exc)) from exc
        names = load_workbook(io.BytesIO(data), read_only=True).sheetnames
        return [kind for kind, sheet in SHEETS.items() if sheet in names]
    try:
        rows = read_sheet(data, filename)
    except TableFileError:
        return []
    header = {str(c).strip() for c in rows[0]} if rows else set()
    if set(FIGURE_COLUMNS) <= header:
        return ["figures"]
    if set(ledger.REMEDY_COLUMNS) <= header:
        return ["remedies"]
    if set(ledger.APPLICATION_COLUMNS) <= header:
        return ["applications"]
    return []


class Command(BaseCommand):
    help = "导入台账：申请（applications）、行政复议和诉讼（remedies）、表二填报数据（figures，列：年度,项目,指标,数值）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV 或 XLSX 文件")
        parser.add_argument("--org", required=True, help="机构代码")
        parser.add_argument("--kind", choices=list(SHEETS), help="台账类型（缺省时按工作表名或表头识别）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        data = read_file_argument(path)
        org = org_by_code(options["org"])
        if org is None:
            raise CommandError(f"找不到机构代码为“{options['org']}”的机构。")
        kinds = [options["kind"]] if options["kind"] else _kinds_in(data, path.name)
        if not kinds:
            raise CommandError("无法识别台账类型：请用 --kind 指定，或使用名为 申请/复议诉讼/表二 的工作表。")
        dry_run, failed = options["dry_run"], False
        try:
            with transaction.atomic():  # a file with several sheets is imported all-or-nothing too
                for kind in kinds:
                    failed |= not self._one(kind, org=org, data=data, filename=path.name, dry_run=dry_run)
                if failed:
                    raise _Rollback
        except _Rollback:
            raise CommandError("台账有错误，未导入任何记录。") from None

    def _one(self, kind: str, **kwargs: Any) -> bool:
        label = {"applications": "申请", "remedies": "行政复议、行政诉讼", "figures": "表二"}[kind]
        if kind == "figures":
            result = import_figures(actor=SYSTEM_IMPORT, sheet=SHEETS["figures"], **kwargs)
            if result.errors:
                lines = [str(e) for e in result.errors]
                self.stderr.write(f"{label}：{len(result.errors)} 处错误：\n" + "\n".join(lines))
                return False
        else:
            fn = ledger.import_applications if kind == "applications" else ledger.import_remedies
            result = fn(actor=SYSTEM_IMPORT, **kwargs)
        (self.stderr if result.errors else self.stdout).write(f"{label}：{result.summary()}")
        return result.ok
