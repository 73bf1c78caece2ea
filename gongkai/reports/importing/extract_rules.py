"""Extraction, sum rules: decide the readings of ambiguous rows with the grid aligner; the findings they raise.

Every reading finding is a ``reports.checks.Finding`` (one finding type for the engine and the importer); its
message names the cells in Chinese (「表三 · （二）部分公开 · 自然人」), its ``cells`` the canonical keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from gongkai.reports import definitions as defs
from gongkai.reports.checks.findings import Finding, Severity

from .extract_align import UNSURE, agreed, align, rule_vouched, zero_or_blank

TABLE_NAMES = {"table2": "表二", "table3": "表三", "table4": "表四"}


def finding(code: str, severity: Severity, message: str, cells: Iterable[str] = ()) -> Finding:
    return Finding(code, severity, message, tuple(cells))


def row_name(table: str, row: str) -> str:
    """「表三 · （二）部分公开」: the table and the row's own labels (a 表二 item and its row)."""
    parts = row.split("/")
    if table == "table3" and len(parts) > 1:
        parts = parts[1:]  # 三、本年度办理结果 / （二）部分公开 → （二）部分公开
    return " · ".join([TABLE_NAMES.get(table, table), *(p for p in parts if p)])


def cell_name(key: str) -> str:
    """「表三 · （二）部分公开 · 自然人」 for the cell key ``table3:<row>:<column>``."""
    ref = defs.CellRef.parse(key)
    return f"{row_name(ref.table, ref.row)} · {ref.column}"


Read = tuple[str, list[list[Any]], str]  # row key, candidate cell lists, how they were found


def cells_named(cells: Sequence[str]) -> str:
    """「表三 · （一）予以公开（自然人、总计）」 for cell keys, grouped by row in their order."""
    rows: dict[tuple[str, str], list[str]] = {}
    for key in cells:
        ref = defs.CellRef.parse(key)
        rows.setdefault((ref.table, ref.row), []).append(ref.column)
    return "；".join(f"{row_name(t, r)}（{'、'.join(columns)}）" for (t, r), columns in rows.items())


def _rule_rows(rule: defs.SumRule) -> set[str]:
    return {ref.row for ref in rule.cells}


def _shown(values: Sequence[Any]) -> str:
    return " ".join("空" if v is None else str(v) for v in values)


def _split_unchecked(
    key: str, values: Sequence[Any], cells: Sequence[str], *, ruled: bool = False
) -> Finding:
    """A run of digits cut into cells the one way its columns allow, in a row no sum rule checks (or, ``ruled``,
    whose rules with other rows could not be judged because cells of those rows were left open): the cut is
    presumed (the run may be one cell whose neighbour was printed elsewhere, "11" for 11 and a lost 4), so the
    cells keep the reading and a warning names them."""
    why = "此行与其他行的勾稽关系因其他行未能读出而无法核对" if ruled else "此行没有可据以核对的勾稽关系"
    return finding(
        "import_split_unchecked",
        "warning",
        f"{cells_named(cells)}：数值个数少于列数，按数字连在一起拆分读作“{_shown(values)}”，{why}，请核对原文。",
        cells,
    )


def _zero_or_blank(cells: list[str]) -> Finding:
    """Cells that are 0 or blank under every reading (a row of zeros printed without its blank cell): read 0."""
    return finding(
        "import_zero_or_blank",
        "warning",
        f"{cells_named(cells)}：原文未保留空白单元格的位置，这些单元格在各种读法中均为 0 或空白"
        "（空白应填 0），已按 0 读入，请核对原文。",
        cells,
    )


def usable_rules(
    reads: Sequence[Read],
    rules: Sequence[defs.SumRule],
    rows_of: Callable[[defs.SumRule], set[str]] = _rule_rows,
) -> list[defs.SumRule]:
    """The rules all of whose rows were read (a row not found is not a row of zeros)."""
    read_keys = {key for key, _, _ in reads}
    return [r for r in rules if (rows := rows_of(r)) and rows <= read_keys]


def apply_rules(
    reads: list[Read],
    place: Callable[[str, list[Any]], None],
    doc: dict[str, Any],
    rules: Sequence[defs.SumRule],
    cell_keys: Callable[[str], list[str]],
    *,
    rows_of: Callable[[defs.SumRule], set[str]] | None = None,
) -> list[Finding]:
    """Place every row; the ambiguous ones (several readings) decided together by the aligner.

    Only the rules all of whose rows were read take part (a row not found is not a row of zeros). A cell that
    is not the same under every reading that fits stays empty (null) and a warning names it.
    """
    rows_of = rows_of or _rule_rows
    usable = usable_rules(reads, rules, rows_of)
    for key, candidates, _ in reads:
        place(key, candidates[0])
    ruled = {row for rule in usable for row in rows_of(rule)}
    out: list[Finding] = [
        _split_unchecked(key, candidates[0], cell_keys(key))
        for key, candidates, how in reads
        if how == "split" and len(candidates) == 1 and key not in ruled
    ]
    ambiguous = [(key, candidates) for key, candidates, _ in reads if len(candidates) > 1]
    if not ambiguous:
        return out
    how_of = {key: how for key, _, how in reads}
    outcome = align(ambiguous, place, doc, usable, rows_of)
    for key, _ in ambiguous:
        readings = outcome.fitting[key]
        values = agreed(readings)
        keys = cell_keys(key)
        zeros = [n for n, v in enumerate(values) if v is UNSURE and zero_or_blank(readings, n)]
        values = [0 if n in zeros else v for n, v in enumerate(values)]
        if zeros:
            out.append(_zero_or_blank([keys[n] for n in zeros]))
        unsure = [n for n, v in enumerate(values) if v is UNSURE]
        place(key, [None if v is UNSURE else v for v in values])
        undecided = key in outcome.undecided
        # no combination holds: the cells all readings agree on are kept, but nothing vouches for them either
        unchecked = [keys[n] for n, v in enumerate(values) if v is not UNSURE] if undecided else []
        if not unsure and not unchecked:
            continue
        cells = [keys[n] for n in unsure]
        listed = "；".join(f"“{_shown(r)}”" for r in readings[:3]) + ("……" if len(readings) > 3 else "")
        positional = how_of[key] == "positional"
        if not undecided:
            code = "import_cell_positions" if positional else "import_ambiguous_split"
            holds = "都符合勾稽关系" if key in ruled else "（此表没有可据以判断的勾稽关系）"
            if key in outcome.own_rules_only:
                holds = "符合本行的勾稽关系（全表的读法组合过多，未能逐一核对）"
            why = (
                "原文未保留空白单元格的位置" if positional else "数字连在一起"
            ) + f"，有 {len(readings)} 种读法{holds}：{listed}"
        else:
            code = "import_cell_positions" if positional else "import_unsplit"
            why = f"没有一组读法符合勾稽关系（可能的读法如：{listed}）"
        said = [f"{cells_named(cells)}：{why}，无法确定各数值所在的单元格，已留空"] if cells else []
        if unchecked:
            said.append(
                f"{cells_named(unchecked)}：各种读法在此一致，已读入，但没有一种读法符合勾稽关系"
                + ("" if cells else f"（可能的读法如：{listed}）")
            )
        out.append(finding(code, "warning", "；".join(said) + "，请核对原文。", cells + unchecked))
    # a row whose digits were cut the one way its own rule allows is vouched for only by a rule with other rows;
    # when every such rule touches a cell left open above, the cut is a presumption like any unchecked one
    for key, candidates, how in reads:
        if how == "split" and len(candidates) == 1 and key in ruled:
            linked = [r for r in usable if key in rows_of(r) and len(rows_of(r)) > 1]
            if linked and not any(rule_vouched(doc, r) for r in linked):
                out.append(_split_unchecked(key, candidates[0], cell_keys(key), ruled=True))
    return out
