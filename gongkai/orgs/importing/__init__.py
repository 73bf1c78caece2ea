"""Import and export of the organisation tree as CSV or XLSX: validate every row, then apply all or nothing.

The import is a ``core.tabular`` table: ``columns`` (the spec and the cell parsers), ``plan`` (the rows
against each other and the database, then the writes), ``export`` (the same columns, out).
"""

from __future__ import annotations

import dataclasses

from gongkai.core.actors import Actor
from gongkai.core.tabular import CompactRowError, ImportResult, Row, import_table

from . import plan as planning
from .columns import COLUMNS, HEADER_OF, HEADERS, REQUIRED_HEADERS, SPEC, TEXT_HINT
from .export import export_orgs

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
RowError = CompactRowError  # the organisation import's wording of core.tabular's RowError
_TEXT_HINT = TEXT_HINT  # the name the tests use

__all__ = [
    "COLUMNS",
    "HEADERS",
    "HEADER_OF",
    "MAX_BYTES",
    "MAX_ROWS",
    "REQUIRED_HEADERS",
    "ImportResult",
    "RowError",
    "export_orgs",
    "import_orgs",
]


def import_orgs(*, actor: Actor, data: bytes, filename: str, dry_run: bool = False) -> ImportResult:
    """Upsert organisations by 代码 from a CSV or XLSX file; every bad row is reported, and then nothing changes.

    Rows may come in any order (parents are created first); a parent may be in the database or in
    the file. Each create/update goes through ``org_create``/``org_update`` (one audit row each), and
    one summary audit row (action "import") records the file. ``actor`` may be a ``SystemActor`` (a job).
    """

    def plan(rows: list[Row], result: ImportResult) -> planning.Plan:
        planned = planning.plan(rows, actor, result.errors)
        planning.fill(result, planned)
        return planned

    def apply(planned: planning.Plan, result: ImportResult) -> None:
        planning.apply(planned, actor, filename, result)

    # The limits are read here, at call time, so that tests may lower them.
    spec = dataclasses.replace(SPEC, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)
    return import_table(
        spec, data, filename, parse_row=lambda row: row, plan=plan, apply=apply, dry_run=dry_run
    )
