"""Extraction, 表三: rows matched to the format's row keys, fitted to its columns, chosen by sum rules."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from gongkai.reports import definitions as defs
from gongkai.reports.checks.findings import Finding

from .extract_blockcheck import reorder_blocks
from .extract_fit import value_candidates
from .extract_grid import Aligned, align_rows
from .extract_match import label_score
from .extract_rules import Read, apply_rules, finding, row_name
from .extract_sparse import only_natural_persons
from .normalise import label_key
from .tokens import Token, parse_value


def _rebalance(found: dict[str, list[Token]], width: int) -> dict[str, list[str]]:
    """Undo a page break inside a row: a row holding its own line of cells plus a full extra line passes the
    extra line on to the next row that has none (PDF text flow puts the next row's values first)."""
    out: dict[str, list[str]] = {}
    carry: list[str] = []
    for key, tokens in found.items():
        values = [t.text for t in tokens]
        if not tokens and carry:
            out[key], carry = carry, []
            continue
        lines: dict[int, list[str]] = {}
        for t in tokens:
            lines.setdefault(t.line, []).append(t.text)
        groups = list(lines.values())
        nonblank = [v for v in values if v.strip()]
        first = [v for v in groups[0] if v.strip()] if groups else []
        rest = [v for g in groups[1:] for v in g if v.strip()]
        if len(nonblank) > width and len(first) == width and len(rest) == width:
            out[key], carry = first, rest
        elif sum(len(g) > 1 for g in groups) > 1 and len(nonblank) < len(values):
            # cells from several printed rows of cells, blanks among them ("|  | 0 | 0 |" / "|  |  | 26 | 26 |"):
            # where a blank stands says nothing of the columns once the rows are put together — the figures alone
            # are read (a text of one cell a line keeps its blanks: each line is a cell of the one row)
            out[key] = nonblank
        else:
            out[key] = values
    return out


@lru_cache(maxsize=256)
def _local_rules(fmt: str, key: str) -> tuple[defs.SumRule, ...]:
    spec = defs.FORMATS[fmt]
    return tuple(
        r
        for r in spec.rules(single_other=key == defs.OTHER_2019)
        if all(ref.table == "table3" and ref.row == key for ref in r.cells)
    )


def _subtotal_columns(cells: list[str]) -> list[int]:
    """Positions of an added 法人或其他组织 subtotal in an 8-cell 表三 row: the cell equal to the sum of the
    five organisation columns next to it (some tools add it before or after them; the format has none)."""
    try:
        values = [int(c) for c in cells]
    except ValueError:
        return []
    hits = []
    if values[1] == sum(values[2:7]):  # 自然人 | 小计 | five | 总计
        hits.append(1)
    if values[6] == sum(values[1:6]):  # 自然人 | five | 小计 | 总计
        hits.append(6)
    if len(hits) == 2 and values[1] == values[6] == 0:
        return [6]  # all zero: either reading gives the same cells
    return hits


def row_accept(spec: defs.ReportFormat, key: str) -> Callable[[list[str]], bool]:
    """The format's rules that involve only this row (总计 = the six columns), as a test on raw cells."""
    index = {column: i for i, column in enumerate(spec.table3_columns)}
    local = _local_rules(spec.code, key)

    def accept(cells: list[str]) -> bool:
        try:
            values = [int(c) if c.strip() else 0 for c in cells]
        except ValueError:
            return True
        return all(rule.holds(lambda r: values[index[r.column]]) for rule in local)

    return accept


def _alignment_findings(aligned: Aligned, found: dict[str, list[str]]) -> list[Finding]:
    """Warnings on the rows whose place the grid aligner presumed: by position, by a label printed after their
    figures, or read across a block printed column by column."""
    why = (
        (aligned.weak, "原文此行的标签缺失或无法辨认，按所在位置读入此行数字"),
        (aligned.label_after, "原文此行的标签印在数字之后（也可能属于下一行），按其后的标签读入此行数字"),
        (aligned.apart, "原文此行第一个数字与其余数字分开印出，按勾稽关系拼为一行"),
    )
    out: list[Finding] = [
        finding(
            "import_row_position",
            "warning",
            f"{row_name('table3', key)}：{said}，请核对原文。",
            [f"table3:{key}"],
        )
        for keys, said in why
        for key in keys
        if key in found
    ]
    for key, other in aligned.crowded.items():
        if key in found:
            out.append(
                finding(
                    "import_row_position",
                    "warning",
                    f"{row_name('table3', key)}：原文此行数字之前还印有“{other.rsplit('/', 1)[-1]}”的标签，"
                    "该行却没有数字，这些数字也可能属于该行，请核对原文。",
                    [f"table3:{key}"],
                )
            )
    if columned := [key for key in aligned.by_column if key in found]:
        # the sums fix the total column and the rows, never which of the other columns is which: that order is the
        # headers' (or the format's), so the reader checks it
        out.append(
            finding(
                "import_cell_positions",
                "warning",
                "表三：原文按列排印（PDF 文字层逐列读出），以下各行按表头（或格式）的列序横向读入，"
                "各申请人类别的数字可能错列，请核对原文："
                + "、".join(row_name("table3", k) for k in columned[:6])
                + "。",
                [f"table3:{k}" for k in columned],
            )
        )
    return out


def _reordered(
    rows: dict[str, list[Any]], aligned: Aligned, rules: Sequence[defs.SumRule], columns: Sequence[str]
) -> list[Finding]:
    """The blocks read by column whose presumed column order the table's sums refute (extract_blockcheck)."""
    blocks = {k: b for k, b in aligned.blocks.items() if k in rows}
    moved, unsure = reorder_blocks(rows, blocks, rules, columns)
    out = []
    if moved:
        out.append(
            finding(
                "import_cell_positions",
                "warning",
                "表三：按列读出的一组行按表头列序读入时与表内勾稽关系不符，已按使勾稽关系成立的列序改读："
                + "、".join(row_name("table3", k) for k in moved[:6])
                + "，请核对原文。",
                [f"table3:{k}" for k in moved],
            )
        )
    if unsure:
        out.append(
            finding(
                "import_cells",
                "warning",
                "表三：按列读出的数字有不止一种列序使勾稽关系成立，以下单元格各读法不同，已留空，请核对原文："
                + "；".join(
                    f"{row_name('table3', k)} · {c}：{' 或 '.join(str(v) for v in vs)}"
                    for (k, c), vs in list(unsure.items())[:6]
                )
                + "。",
                [f"table3:{k}:{c}" for k, c in unsure],
            )
        )
    return out


def read_table3(tokens: Sequence[Token], fmt: str, doc: dict[str, Any]) -> list[Finding]:
    """Fill doc["table3"] from the cell stream; returns reading findings. Leaves None if no row was found."""
    spec = defs.FORMATS[fmt]
    width = len(spec.table3_columns)
    received = label_key(defs.RECEIVED)
    anchored = any(not t.is_value and label_score(label_key(t.text), (received,)) >= 0.8 for t in tokens)

    accept = row_accept(spec, defs.RECEIVED)  # every row's own rule: 总计 = the six applicant columns

    def whole_row(values: list[str]) -> bool:
        nonblank = [v for v in values if v.strip()]
        return len(nonblank) == width and accept(nonblank)

    aligned = align_rows(tokens, fmt, whole_row)
    matched = aligned.rows
    subs = [k for k in spec.table3_row_keys if k.startswith(f"{defs.OTHER_2019}/")]
    # （六）其他处理 heads its sub-rows (2021), or is an added subtotal; a local template's single （六） row is read
    # only from figures of a row (two or more, or a run of digits as long as the row): a lone figure next to the
    # floating group label is no evidence of it
    figures = [t.text for t in matched.get(defs.OTHER_2019, []) if t.text.strip()]
    lone = len(figures) < 2 and sum(c.isdigit() for c in "".join(figures)) < width
    if subs and (lone or any(k in matched for k in subs)):
        matched.pop(defs.OTHER_2019, None)
    single = defs.OTHER_2019 in matched and bool(subs)  # a local template's single （六） row (2021)
    found = _rebalance(matched, width)
    # A label alone (a prose line that looks like a row) is not a table; a row needs its figures.
    needed = 1 if anchored else (width + 1) // 2
    if not found or not any(sum(1 for v in values if v.strip()) >= needed for values in found.values()):
        doc["table3"] = None
        return []
    keys = spec.single_other_keys() if single else spec.table3_row_keys
    order: list[str] = []  # the single row stands before its blank sub-rows (named by single_other_row)
    for key in spec.table3_row_keys:
        if single and key == subs[0]:
            order.append(defs.OTHER_2019)
        order.append(key)
    doc["table3"] = {
        "columns": list(spec.table3_columns),
        "rows": {k: [None] * width for k in order},
    }
    out: list[Finding] = []
    reads: list[Read] = []
    fitted = {
        key: value_candidates(raw, width, row_accept(spec, key), _subtotal_columns)
        for key, raw in found.items()
    }
    dropped = [key for key, (_, how) in fitted.items() if how == "subtotal"]
    # a tool's added subtotal column is a column of the table, so most of its rows show it: a row or two of one
    # figure more among other rows (of the format's width, or printed without their blank cells) are more likely
    # figures read into the wrong row, so there the drop is presumed and named
    layout = len(dropped) * 2 > len(fitted)
    for key in dropped:
        out.append(
            finding(
                "import_subtotal_dropped",
                "info",
                f"{row_name('table3', key)}：多出一个“法人或其他组织”小计列（官方格式没有此列），已略去。",
                [f"table3:{key}"],
            )
            if layout
            else finding(
                "import_subtotal_dropped",
                "warning",
                f"{row_name('table3', key)}：此行比其他行多一个数值，按“法人或其他组织”小计列略去一个，"
                "其余各行没有此列，请核对原文。",
                [f"table3:{key}"],
            )
        )
    for key, raw in found.items():
        candidates, how = fitted[key]
        if not candidates:
            out.append(
                finding(
                    "import_cells",
                    "warning",
                    f"{row_name('table3', key)}：读到 {len([v for v in raw if v.strip()])} 个数值，应为 {width} 个，"
                    "未能对应到各列，已留空，请核对原文。",
                    [f"table3:{key}"],
                )
            )
            continue
        reads.append((key, [[parse_value(v) for v in c] for c in candidates], how))

    def place(key: str, values: list[Any]) -> None:
        doc["table3"]["rows"][key] = list(values)

    def cell_keys(key: str) -> list[str]:
        return [f"table3:{key}:{c}" for c in spec.table3_columns]

    reads, likely = only_natural_persons(
        reads, place, doc, spec.rules(single_other=single), spec.table3_columns
    )
    out.extend(likely)
    out.extend(apply_rules(reads, place, doc, spec.rules(single_other=single), cell_keys))
    out.extend(
        _reordered(doc["table3"]["rows"], aligned, spec.rules(single_other=single), spec.table3_columns)
    )
    out.extend(_alignment_findings(aligned, found))
    missing = [k for k in keys if k not in found]
    if missing:
        out.append(
            finding(
                "import_rows_missing",
                "warning",
                f"表三中未找到 {len(missing)} 行："
                + "、".join(k.rsplit("/", 1)[-1] for k in missing[:6])
                + "。",
                [f"table3:{k}" for k in missing],
            )
        )
    return out
