"""Test data for the property tests: random consistent reports and the shapes published files take.

A document from `consistent_document` satisfies every sum rule of its format (表三 row totals, （七）总计,
the identity 一 + 二 = （七） + 四, 表四 totals); `render` writes it as a published file of one shape: a row per
line, one cell per line, pipe rows, Markdown, PDF-like text with page furniture, the whole report on one line,
digits run together — and the shapes of issue 16's failures: Markdown with placeholder headers and one small
table per row or group ("markdown_blocks"), PDF text whose long labels float over three lines around their
figures with group labels split and a page footer ("pdf_floating"), one-line text wrapped at a fixed width
("wrapped"). `consistent_document` can also keep the single （六）其他处理 row of a local 2021 template and
signed 本年增/减 figures; `misspell` puts slips into labels. Values come from the document, so every cell read
back must equal it — or be reported.
"""

from __future__ import annotations

import random
import re
import unicodedata
from typing import Any

from gongkai.reports import definitions as defs

from . import layout, synth

SHAPES = (
    "pipe",
    "lines",
    "spaced",
    "markdown",
    "pdf_like",
    "one_line",
    "glued",
    "markdown_blocks",
    "pdf_floating",
    "wrapped",
    "pdf_number_apart",
)
# Slips published labels carry (a word added or changed, a note left out), as (right, wrong).
SLIPS = (
    ("其他法律行政法规禁止公开", "其他法律和行政法规禁止公开"),
    ("（区分处理的，只计这一情形，不计其他情形）", ""),
    ("本机关不掌握相关政府信息", "本机关不掌握相关的政府信息"),
    ("要求行政机关确认或重新出具已获取信息", "要求行政机关确认或重新出具已经获取信息"),
    ("申请人逾期未按收费通知要求缴纳费用", "申请人逾期未按收费通知缴纳费用"),
    ("政府信息公开行政复议、行政诉讼情况", "政府信息公开行政复议与行政诉讼情况"),
    ("本年新收政府信息公开申请数量", "本年新收政府信息公开申请数"),
)


def _parties(rng: random.Random, high: int) -> list[int]:
    return [rng.choice((0, 0, 0, rng.randint(0, high))) for _ in defs.TABLE3_PARTY_COLUMNS]


def consistent_document(
    seed: int, fmt: str, *, single_other: bool = False, signed: bool = False
) -> dict[str, Any]:
    """A report of the format whose tables hold every sum rule; numbers drawn from `seed`. ``single_other``
    (2021): the single （六）其他处理 row of a local template, its sub-rows null; ``signed``: 本年增/减 figures
    may be negative or carry a "+"."""
    rng = random.Random(seed)
    year = 2020 if fmt == "2019" else 2022
    doc = defs.empty_document("某县交通运输局", year, fmt, "unknown", fill=0)
    spec = defs.FORMATS[fmt]
    rows = doc["table3"]["rows"]
    outcome = [r.key for r in spec.table3_rows if r.kind == "outcome"]
    for key in outcome:
        rows[key] = _parties(rng, rng.choice((3, 30, 300)))
    rows[defs.CARRIED_OUT] = _parties(rng, 20)
    total = [sum(rows[k][c] for k in outcome) for c in range(6)]
    carried_in = [
        rng.randint(0, t + o) if rng.random() < 0.4 else 0
        for t, o in zip(total, rows[defs.CARRIED_OUT], strict=True)
    ]
    rows[defs.RESULTS_TOTAL] = total
    rows[defs.CARRIED_IN] = carried_in
    rows[defs.RECEIVED] = [
        t + o - i for t, o, i in zip(total, rows[defs.CARRIED_OUT], carried_in, strict=True)
    ]
    for key, values in rows.items():
        if len(values) == 6:
            rows[key] = [*values, sum(values)]
    for block in spec.table2_layout.blocks:
        for row in block.rows:
            for column in block.columns:
                value = rng.choice((0, rng.randint(0, 99), rng.randint(100, 9999)))
                if signed and column.kind == "delta":
                    value = rng.choice((value, -value))
                doc["table2"][block.item][row][column.label] = value
    if single_other and fmt == "2021":
        subs = [k for k in rows if k.startswith(f"{defs.OTHER_2019}/")]
        single = [sum(rows[k][c] for k in subs) for c in range(7)]
        doc["table3"]["rows"] = _with_single(rows, subs, single)
    for group in spec.table4_layout.groups:
        parts = [rng.choice((0, 0, rng.randint(0, 9))) for _ in spec.table4_layout.columns[:-1]]
        doc["table4"][group] = dict(zip(spec.table4_layout.columns, [*parts, sum(parts)], strict=True))
    doc["sections"] = {"一": "本单位做好工作考核、社会评议和责任追究。", "五": "存在问题。", "六": "无。"}
    return doc


def _with_single(rows: dict[str, list], subs: list[str], single: list[int]) -> dict[str, list]:
    out: dict[str, list] = {}
    for key, values in rows.items():
        if key == subs[0]:
            out[defs.OTHER_2019] = single
        out[key] = [None] * 7 if key in subs else values
    return out


def single_other(doc: dict[str, Any]) -> bool:
    return defs.OTHER_2019 in doc["table3"]["rows"] and doc["format"] == "2021"


def misspell(text: str, rng: random.Random) -> str:
    """The text with some of SLIPS applied (each with probability ½)."""
    for right, wrong in SLIPS:
        if rng.random() < 0.5:
            text = text.replace(right, wrong)
    return text


def _markdown(rows: list[synth.Row]) -> list[str]:
    out = []
    for n, row in enumerate(rows):
        cells = [text for text, _, _ in row]  # one cell per table cell, spans not repeated (as html2text)
        out.append("| " + " | ".join(cells) + " |")
        if n == 0:
            out.append("|" + " --- |" * len(cells))
    return out


def _table3_rows(doc: dict[str, Any]) -> list[synth.Row]:
    """表三 as printed; with the single （六）其他处理 row in place of its sub-rows for such a document."""
    spec = defs.FORMATS[doc["format"]]
    rows: list[synth.Row] = [[(c.text, c.rowspan, c.colspan) for c in h] for h in spec.table3_header]
    keys = spec.single_other_keys() if single_other(doc) else spec.table3_row_keys
    for key in keys:
        if key == defs.OTHER_2019:
            cells = [(defs.OTHER_GROUP, 1, 2)]
        else:
            cells = [(c.text, c.rowspan, c.colspan) for c in spec.row(key).label_cells]
        rows.append([*cells, *((synth._v(v), 1, 1) for v in doc["table3"]["rows"][key])])  # noqa: SLF001
    return rows


def _rows(doc: dict[str, Any], table: str) -> list[synth.Row]:
    return _table3_rows(doc) if table == "table3" else synth._rows_for(doc, table)  # noqa: SLF001


def _text(doc: dict[str, Any], style: str) -> str:
    lines: list[str] = []
    for kind, content in synth._body(doc):  # noqa: SLF001 - the same section order as synth.to_text
        lines += synth._flat(_rows(doc, content), style) if kind == "table" else [content]  # noqa: SLF001
    return "\n".join(lines)


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(r) + " |" for r in rows),
        "",
    ]


def _markdown_blocks(doc: dict[str, Any], table: str) -> list[str]:
    """One small Markdown table per 表二 block, per 表三 row or group (placeholder header "类别 | 数据1 … | 总计",
    the row's label as a heading and again in its row, a header row repeated over the last rows) and per 表四
    group — the shape of a converter that lost the merged cells (r704)."""
    out: list[str] = []
    if table == "table2":
        for block in defs.FORMATS[doc["format"]].table2_layout.blocks:
            rows = [
                [r, *(synth._v(doc["table2"][block.item][r][c.label]) for c in block.columns)]
                for r in block.rows
            ]  # noqa: SLF001
            out += [f"### {block.item}", *_md_table(["信息内容", *(c.label for c in block.columns)], rows)]
        return out
    if table == "table4":
        for group in defs.TABLE4.groups:
            title = group if "/" not in group else f"{defs.SUIT_GROUP}（{group.split('/')[1]}）"
            values = [synth._v(doc["table4"][group][c]) for c in defs.TABLE4.columns]  # noqa: SLF001
            out += [f"### {title}", *_md_table(list(defs.TABLE4.columns), [values])]
        return out
    out += ["### 申请人情况 (自然人)", *_md_table(["(数据项目)", "数量"], [["-", "-"]])]
    placeholder = ["类别", *(f"数据{n}" for n in range(1, 7)), "总计"]
    heading: str | None = None  # the group label printed last as a heading
    for row in _table3_rows(doc)[3:]:
        labels = [t for t, _, _ in row[:-7]]
        values = [t for t, _, _ in row[-7:]]
        leaf = labels[-1]
        if leaf.startswith("（七）"):
            out += _md_table(
                [
                    "项目",
                    "本年新收件数",
                    "上年结转件数",
                    "予以公开",
                    "部分公开",
                    "不予公开",
                    "结转下年度",
                    "总计",
                ],
                [],
            )[:2]
        if len(labels) > 1 and labels[0] != heading:  # a group begins: its label as a heading
            heading = labels[0]
            out.append(f"### {heading}")
        if len(labels) == 1 or labels[0] == defs.RESULTS:
            out.append(f"### {leaf}")
        out += _md_table(placeholder, [[re.sub(r"^[一二三四]、|^（[一二七]）", "", leaf), *values]])
    return out


def _pdf_floating(rows: list[synth.Row], rng: random.Random) -> list[str]:
    """A row per line as a PDF text extractor gives it (r703's layout, pdftotext -layout): a long label in a narrow
    cell broken over three lines with the figures on the middle one, a long label across columns broken around a
    line of figures alone or with its figures split over its two lines, the label of a merged group cell split in
    two and floating between the group's rows, a page footer somewhere inside."""
    out: list[str] = []
    pending: list[tuple[int, str]] = []  # (rows left before it is printed, fragment) of merged group labels
    for row in rows:
        cells = [(t, rs, cs) for t, rs, cs in row if t]
        groups = [t for t, rs, _ in cells if rs > 1 and not synth_is_figure(t)]
        labels = [(t, cs) for t, rs, cs in cells if rs == 1 and not synth_is_figure(t)]
        figures = [t for t, _, _ in cells if synth_is_figure(t)]
        for group in groups:  # its two halves float within the rows it spans
            half = len(group) // 2
            pending += [(0, group[:half]), (1, group[half:])]
        label = "".join(t for t, _ in labels)
        narrow = all(cs == 1 for _, cs in labels)
        if figures and narrow and len(label) > 12:
            a, b = len(label) // 3, 2 * len(label) // 3
            out += [label[:a], " ".join([label[a:b], *figures]), label[b:]]
        elif figures and len(label) > 24 and rng.random() < 0.5:
            out += [label[: len(label) // 2], " ".join(figures), label[len(label) // 2 :]]
        elif figures and len(label) > 24:  # pdftotext: the figures split around the label's second line
            k = rng.randint(1, len(figures) - 1)
            out += [
                " ".join([label[: len(label) // 2], *figures[:k]]),
                " ".join([label[len(label) // 2 :], *figures[k:]]),
            ]
        else:
            out.append(" ".join([label, *figures]).strip())
        due = [f for n, f in pending if n == 0]
        pending = [(n - 1, f) for n, f in pending if n > 0]
        out += due
    out += [f for _, f in pending]
    at = rng.randint(1, len(out) - 1)
    out[at:at] = [f"— {rng.randint(2, 9)} —"]
    return [line for line in out if line]


def _number_apart(rows: list[synth.Row], rng: random.Random) -> list[str]:
    """表三 as Chromium prints a narrow table and ``pdftotext -layout`` reads it (r801 of the dev half): a numbered
    label in a narrow cell wraps over three lines, the first figures beside its first words, the item number on
    the middle line with the rest of the figures ("危及“三安全一稳 0" / "3.   0" / "定”"); a merged group label
    printed letter-spaced and cut in two, its first piece on its first row's line, the rest glued to that row's
    next line ("（ 六 ） 其 1. 申请人无正当理 0    0" / "他处理 由逾期不补正、行" / …). A single space stands
    between a label and its first figure, wider gaps between the figures."""

    def line(words: str, figures: list[str]) -> str:
        return f"{words} {'   '.join(figures)}".strip()

    out: list[str] = []
    for row in rows:
        cells = [(t, rs, cs) for t, rs, cs in row if t]
        groups = [t for t, rs, _ in cells if rs > 1 and not synth_is_figure(t)]
        labels = [(t, cs) for t, rs, cs in cells if rs == 1 and not synth_is_figure(t)]
        figures = [t for t, _, _ in cells if synth_is_figure(t)]
        label = "".join(t for t, _ in labels)
        numbered = re.match(r"(\d+\.)(.+)", label)
        piece, rest = "", ""
        if groups and groups[-1].startswith("（"):
            cut = groups[-1].index("）") + 2
            piece, rest = " ".join(groups[-1][:cut]), groups[-1][cut:]
        elif groups:
            piece = groups[-1]
        narrow = numbered is not None and all(cs == 1 for _, cs in labels)
        if numbered and narrow and not piece and len(numbered.group(2)) <= 9 and rng.random() < 0.5:
            out += [numbered.group(2), line(numbered.group(1), figures)]  # "重复申请" / "2.   0   0"
            continue
        if not figures or numbered is None or not narrow or len(numbered.group(2)) <= 9:
            out += [line(f"{piece} {label}".strip(), figures), rest]
            continue
        number, words = numbered.groups()
        width = rng.randint(6, 9)  # characters to a line of the label's cell
        chunks = [words[n : n + width] for n in range(0, len(words), width)]
        if piece:
            out += [
                line(f"{piece} {number} {chunks[0]}", figures),
                f"{rest} {chunks[1]}".strip(),
                *chunks[2:],
            ]
            continue
        k = rng.randint(1, len(figures) - 1) if len(figures) > 1 else 1
        out += [line(chunks[0], figures[:k]), line(number, figures[k:]), *chunks[1:]]
    return [line for line in out if line]


def synth_is_figure(text: str) -> bool:
    return bool(re.fullmatch(r"[-+]?\d[\d,]*(?:\.\d+)?", text))


def _wrap(text: str, width: int) -> list[str]:
    """Text cut into lines of `width` display columns (a CJK character takes two), as a PDF prints it."""
    lines, line, used = [], "", 0
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in "WFA" else 1
        if used + w > width:
            lines.append(line)
            line, used = "", 0
        line += ch
        used += w
    return [*lines, line]


def render(doc: dict[str, Any], shape: str, rng: random.Random | None = None, *, typos: bool = False) -> str:
    """The report as a published text of `shape` (see SHAPES); ``typos``: with slips in its labels (misspell)."""
    rng = rng or random.Random(0)
    if shape == "wrapped":  # the slips are in the text before it is wrapped
        one_line = "".join(_text(doc, "spaced").split("\n"))
        one_line = misspell(one_line, random.Random(rng.random())) if typos else one_line
        return "\n".join(_wrap(one_line, rng.choice((80, 100, 104))))
    if (
        shape == "pdf_layout"
    ):  # a page printed and extracted with its layout (layout.pdf_layout); not in SHAPES yet
        spaced = _text(doc, "spaced")
        source = "".join(spaced.split("\n")) if rng.random() < 0.5 else spaced
        source = misspell(source, random.Random(rng.random())) if typos else source
        return layout.pdf_layout(source, rng)
    text = _render(doc, shape, rng)
    return misspell(text, random.Random(rng.random())) if typos else text


def _render(doc: dict[str, Any], shape: str, rng: random.Random) -> str:
    if shape in ("pipe", "lines", "spaced", "glued"):
        return _text(doc, shape)
    if shape == "one_line":
        return "".join(_text(doc, "spaced").split("\n"))
    lines: list[str] = []
    for kind, content in synth._body(doc):  # noqa: SLF001 - the same section order as the other shapes
        if kind != "table":
            lines.append(("## " if shape.startswith("markdown") and kind == "h" else "") + content)
            continue
        rows = _rows(doc, content)
        if shape == "markdown":
            lines += ["", *_markdown(rows), ""]
        elif shape == "markdown_blocks":
            lines += ["", *_markdown_blocks(doc, content)]
        elif shape == "pdf_floating":
            lines += _pdf_floating(rows, rng)
        elif shape == "pdf_number_apart" and content == "table3":
            lines += _number_apart(rows, rng)
        else:  # pdf_like: a row per line, cells apart by spaces, a page footer somewhere inside the table
            table = [" ".join(t for t, _, _ in row if t) for row in rows]
            at = rng.randint(1, len(table) - 1)
            table[at:at] = [f"— {rng.randint(2, 9)} —"]
            lines += table
    return "\n".join(lines)
