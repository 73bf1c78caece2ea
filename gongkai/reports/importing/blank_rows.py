"""Blank-0 warnings of an imported report's rows merged: a unit that never fills the 法人或其他组织 columns leaves
the same cells blank in row after row, and the checks give one warning a row (r801 of the dev half: 24 lines
«…“商业企业”“科研机构”…列为空，应填 0»). Rows of a table with the same blank columns become one warning that
names every cell and lists the rows. Done after the warnings on cells the importer left empty itself are dropped
(``pipeline``), so a merged warning never blames the report for a cell the importer could not place.
"""

from __future__ import annotations

from typing import Any

from gongkai.reports.checks.findings import TABLE_NAMES

ALIKE_ROWS = 3  # rows with the same blank columns merged into one warning from this many
ALIKE_LISTED = 6  # … of which the warning lists at most this many by name


def _row_of(item: dict[str, Any]) -> tuple[str, str, tuple[str, ...]] | None:
    """(table, row, blank columns) of a row's blank-0 warning, or None for any other finding."""
    if item["code"] != "cell_blank" or item["severity"] != "warning" or not item["cells"]:
        return None
    parts = [cell.split(":") for cell in item["cells"]]
    if any(len(p) != 3 for p in parts) or len({(p[0], p[1]) for p in parts}) != 1:
        return None
    table, row, _ = parts[0]
    if table not in TABLE_NAMES:
        return None
    return table, row, tuple(p[2] for p in parts)


def merged_blank_rows(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The findings with the blank-0 warnings of ALIKE_ROWS rows or more with the same blank columns merged into
    one, at the place of the first."""
    alike: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    for n, item in enumerate(found):
        if (row := _row_of(item)) is not None:
            alike.setdefault((row[0], row[2]), []).append(n)
    merged: dict[int, dict[str, Any]] = {}
    dropped: set[int] = set()
    for (table, columns), places in alike.items():
        if len(places) < ALIKE_ROWS:
            continue
        rows = [found[n]["cells"][0].split(":")[1] for n in places]
        listed = "、".join(f"“{row.replace('/', ' · ')}”" for row in rows[:ALIKE_LISTED])
        names = "".join(f"“{c}”" for c in columns)
        merged[places[0]] = {
            "code": "cell_blank",
            "severity": "warning",
            "message": f"{TABLE_NAMES[table]}有 {len(rows)} 行的{names}列为空，应填 0（按 0 计合计仍然成立）："
            f"{listed}{'等' if len(rows) > ALIKE_LISTED else ''}。",
            "cells": [cell for n in places for cell in found[n]["cells"]],
        }
        dropped.update(places[1:])
    return [merged.get(n, item) for n, item in enumerate(found) if n not in dropped]
