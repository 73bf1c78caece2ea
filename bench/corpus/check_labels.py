"""Check the corpus labels: metadata, official keys, value types and the sums of 表三/表四.

    python bench/corpus/check_labels.py [ids…]     check every label (or the ids given); exit 1 on problems
    python bench/corpus/check_labels.py --table    print the Markdown table of the corpus
    python bench/corpus/check_labels.py --readme   write that table into bench/corpus/README.md

A label is a canonical report document (shared/spec/report-json.md) plus corpus metadata (bench/corpus/README.md).
Keys come from ``gongkai.reports.definitions``; nothing here imports the importer. Run it with the project's
virtualenv (``.venv/bin/python``): the definitions read the applications vocabulary, so Django is set up (no
database is touched).

The sums (statutory-rules.md §2.6), per format:
- 表三, every row: 总计 = the six applicant columns;
- 表三, every column: （七）总计 = the result rows (2021: the three （六） sub-rows; a 2021 label that keeps the single
  ``三、本年度办理结果/（六）其他处理`` row, with the three sub-rows null, has that row counted instead);
- 表三, every column: 一 + 二 = （七）总计 + 四;
- 表四, every group: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结.
Only numbers add up: a blank (null) or text cell ("/", "—", "无") adds nothing; a rule none of whose cells holds a
number is not checked. 表二 has no identity in either format; for 2019 a 本年新公开数量 above 对外公开总数量 is
printed as a warning (not a failure).

A failing sum must be recorded in the label's ``inconsistencies`` (an entry naming at least one of the rule's
cells), otherwise the label fails. An entry that names no cell of any failing sum fails too (sums that agree are
not an inconsistency: a contradiction between the text and a table belongs in ``notes``). Cells are named
``表三/<row key>/<column>`` (as in the labels) or as finding keys ``table3:<row key>:<column>``.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FILES = HERE / "files"
LABELS = HERE / "labels"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
with contextlib.suppress(ImportError):  # the definitions read the applications vocabulary (Django choices)
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()

from gongkai.reports import definitions as defs  # noqa: E402 (the official keys; never the importer)

LEVELS = (
    "province_department",
    "city_government",
    "city_department",
    "county_government",
    "county_department",
    "township",
)
SHAPES = (
    "html_table",
    "one_line_text",
    "pipe_text",
    "markdown",
    "pdf_text",
    "text_pdf",
    "scan_pdf",
    "photo",
    "docx",
    "doc",
)
# File name endings each shape may have.
SHAPE_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "html_table": (".html", ".htm", ".shtml", ".xhtml"),
    "one_line_text": (".txt",),
    "pipe_text": (".txt", ".md"),
    "markdown": (".md", ".markdown", ".txt"),
    "pdf_text": (".txt",),
    "text_pdf": (".pdf",),
    "scan_pdf": (".pdf",),
    "photo": (".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff", ".bmp", ".gif"),
    "docx": (".docx",),
    "doc": (".doc",),
}
PROVINCES = (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省",
    "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省",
    "云南省", "陕西省", "甘肃省", "青海省", "台湾省", "内蒙古自治区", "广西壮族自治区", "西藏自治区",
    "宁夏回族自治区", "新疆维吾尔自治区", "香港特别行政区", "澳门特别行政区",
)  # fmt: skip
REQUIRED = (
    "schema", "id", "file", "unit", "province", "level", "year", "format", "shape", "derived", "derived_from",
    "derivation", "source", "table2", "table3", "table4", "inconsistencies", "notes",
)  # fmt: skip
TABLE_NAMES = {"table2": "表二", "table3": "表三", "table4": "表四"}
ID = re.compile(r"^[rd]\d{3}$")
HEX40 = re.compile(r"^[0-9a-f]{40}$")
FIRST_YEAR = 2019
TABLE_BEGIN, TABLE_END = "<!-- corpus-table:begin -->", "<!-- corpus-table:end -->"


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def load(ident: str) -> dict[str, Any]:
    return json.loads((LABELS / f"{ident}.json").read_text(encoding="utf-8"))


def all_ids() -> list[str]:
    return sorted(p.stem for p in LABELS.glob("*.json"))


# ---------------------------------------------------------------------------------------------- cells


def single_other_row(label: dict[str, Any]) -> bool:
    """A 2021 label that keeps the single （六）其他处理 row of a local template (report-json.md)."""
    t3 = label.get("table3")
    return (
        label.get("format") == "2021"
        and isinstance(t3, dict)
        and isinstance(t3.get("rows"), dict)
        and defs.OTHER_2019 in t3["rows"]
    )


def cell_refs(fmt: str, single_other: bool = False) -> list[defs.CellRef]:
    """Every data cell of 表二/表三/表四 of ``fmt`` (2021 with the single （六） row: that row too)."""
    spec = defs.FORMATS[fmt]
    refs = spec.table2_layout.cells()
    keys = list(spec.table3_row_keys)
    if single_other and fmt == "2021":
        keys.append(defs.OTHER_2019)
    refs += [defs.CellRef("table3", k, c) for k in keys for c in defs.TABLE3_COLUMNS]
    refs += spec.table4_layout.cells()
    return refs


def cell_names(ref: defs.CellRef) -> tuple[str, str]:
    """The two accepted spellings: ``表三/<row>/<column>`` and the finding key ``table3:<row>:<column>``."""
    return f"{TABLE_NAMES[ref.table]}/{ref.row}/{ref.column}", ref.key


def cell_index(fmt: str, single_other: bool = False) -> dict[str, defs.CellRef]:
    return {name: ref for ref in cell_refs(fmt, single_other) for name in cell_names(ref)}


def value(label: dict[str, Any], ref: defs.CellRef) -> Any:
    try:
        return defs.cell_value(label, ref)
    except (KeyError, IndexError, TypeError, ValueError):
        return None


# ---------------------------------------------------------------------------------------------- sums


@dataclass(frozen=True)
class Rule:
    code: str
    left: tuple[defs.CellRef, ...]
    right: tuple[defs.CellRef, ...]
    description: str

    @property
    def cells(self) -> tuple[defs.CellRef, ...]:
        return self.left + self.right


def sum_rules(fmt: str, single_other: bool = False) -> list[Rule]:
    """The format's sum rules (definitions.FORMATS[fmt].sum_rules), with the single （六） row where a 2021
    label has it: its own row-total rule, and counted in （七）总计."""
    rules = [Rule(r.code, r.left, r.right, r.description) for r in defs.FORMATS[fmt].sum_rules]
    if not (single_other and fmt == "2021"):
        return rules
    out = []
    for r in rules:
        if r.code == "table3_results_total":
            column = r.left[0].column
            r = Rule(
                r.code, r.left, (*r.right, defs.CellRef("table3", defs.OTHER_2019, column)), r.description
            )
        out.append(r)
    out.append(
        Rule(
            "table3_row_total",
            (defs.CellRef("table3", defs.OTHER_2019, defs.TABLE3_TOTAL_COLUMN),),
            tuple(defs.CellRef("table3", defs.OTHER_2019, c) for c in defs.TABLE3_PARTY_COLUMNS),
            f"“{defs.OTHER_2019}”的总计应等于各类申请人之和",
        )
    )
    return out


def evaluate(label: dict[str, Any], rule: Rule) -> tuple[Decimal, Decimal] | None:
    """(left, right) sums of the rule's numeric cells, or None when no cell of the rule holds a number."""
    values = [value(label, r) for r in rule.cells]
    if not any(is_number(v) for v in values):
        return None
    left = sum((Decimal(str(v)) for v in values[: len(rule.left)] if is_number(v)), Decimal(0))
    right = sum((Decimal(str(v)) for v in values[len(rule.left) :] if is_number(v)), Decimal(0))
    return left, right


def failing_rules(label: dict[str, Any]) -> tuple[int, list[tuple[Rule, Decimal, Decimal]]]:
    """(rules checked, failing rules with their sums) over the tables the label has."""
    fmt = label.get("format")
    if fmt not in defs.FORMATS:
        return 0, []
    checked, failing = 0, []
    for rule in sum_rules(fmt, single_other_row(label)):
        if label.get(rule.left[0].table) is None:
            continue
        sums = evaluate(label, rule)
        if sums is None:
            continue
        checked += 1
        if sums[0] != sums[1]:
            failing.append((rule, *sums))
    return checked, failing


# ---------------------------------------------------------------------------------------------- checks


@dataclass
class Result:
    ident: str
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checked: int = 0
    failing: int = 0
    recorded: int = 0
    cells: int = 0
    summary: str = ""

    def bad(self, text: str) -> None:
        self.problems.append(text)

    def warn(self, text: str) -> None:
        self.warnings.append(text)


def _check_value(res: Result, where: str, v: Any) -> None:
    if v is None or is_number(v):
        res.cells += 1
        return
    if isinstance(v, str):
        res.cells += 1
        if not v.strip():
            res.bad(f"{where}: empty text (a blank cell is null)")
        elif re.fullmatch(r"\s*[-+]?\d+(?:\.\d+)?\s*", v):
            res.bad(f"{where}: the number {v!r} is typed as text (numbers are JSON numbers)")
        return
    res.bad(f"{where}: {type(v).__name__} {v!r} is not a number, text or null")


def _check_keys(res: Result, where: str, got: Any, want: list[str]) -> bool:
    if not isinstance(got, dict):
        res.bad(f"{where}: expected an object, got {type(got).__name__}")
        return False
    missing = [k for k in want if k not in got]
    extra = [k for k in got if k not in want]
    if missing:
        res.bad(f"{where}: missing keys {missing}")
    if extra:
        res.bad(f"{where}: keys that are not official {extra}")
    return not missing and not extra


def _table2(res: Result, spec: defs.ReportFormat, t2: Any) -> None:
    if not _check_keys(res, "table2", t2, [b.item for b in spec.table2_layout.blocks]):
        return
    for block in spec.table2_layout.blocks:
        if not _check_keys(res, f"table2/{block.item}", t2[block.item], list(block.rows)):
            continue
        cols = [c.label for c in block.columns]
        for row in block.rows:
            if _check_keys(res, f"table2/{block.item}/{row}", t2[block.item][row], cols):
                for c in cols:
                    _check_value(res, f"表二/{block.item}/{row}/{c}", t2[block.item][row][c])


def _table3(res: Result, spec: defs.ReportFormat, label: dict[str, Any]) -> None:
    t3 = label["table3"]
    if not _check_keys(res, "table3", t3, ["columns", "rows"]):
        return
    if t3["columns"] != list(defs.TABLE3_COLUMNS):
        res.bad(f"table3/columns: {t3['columns']} ≠ {list(defs.TABLE3_COLUMNS)}")
    want = list(spec.table3_row_keys)
    if single_other_row(label):
        want.append(defs.OTHER_2019)
        subs = [k for k in spec.table3_row_keys if k.startswith(defs.OTHER_2019 + "/")]
        for key in subs:
            if any(v is not None for v in (t3["rows"].get(key) or [])):
                res.bad(f"table3/{key}: must be null when the single （六）其他处理 row is used")
        res.warn("2021 label with the single （六）其他处理 row (local template)")
    if not _check_keys(res, "table3/rows", t3["rows"], want):
        return
    for key in want:
        row = t3["rows"][key]
        if not isinstance(row, list) or len(row) != len(defs.TABLE3_COLUMNS):
            res.bad(f"表三/{key}: expected a list of {len(defs.TABLE3_COLUMNS)} cells, got {row!r}")
            continue
        for c, v in zip(defs.TABLE3_COLUMNS, row, strict=True):
            _check_value(res, f"表三/{key}/{c}", v)


def _table4(res: Result, spec: defs.ReportFormat, t4: Any) -> None:
    if not _check_keys(res, "table4", t4, list(spec.table4_layout.groups)):
        return
    for group in spec.table4_layout.groups:
        if _check_keys(res, f"table4/{group}", t4[group], list(spec.table4_layout.columns)):
            for c in spec.table4_layout.columns:
                _check_value(res, f"表四/{group}/{c}", t4[group][c])


def _table2_plausible(res: Result, t2: dict[str, Any]) -> None:
    """2019 format only, a warning: this year's new documents should not exceed the running total."""
    for row in ("规章", "规范性文件"):
        try:
            new, total = (t2["第二十条第（一）项"][row][c] for c in ("本年新公开数量", "对外公开总数量"))
        except (KeyError, TypeError):
            continue
        if is_number(new) and is_number(total) and new > total:
            res.warn(f"表二/第二十条第（一）项/{row}: 本年新公开数量 {new} > 对外公开总数量 {total}")


def check_tables(res: Result, label: dict[str, Any]) -> None:
    fmt = label.get("format")
    spec = defs.FORMATS.get(fmt) if isinstance(fmt, str) else None
    if spec is None:
        return
    if label.get("table2") is not None:
        _table2(res, spec, label["table2"])
        if fmt == "2019" and isinstance(label["table2"], dict):
            _table2_plausible(res, label["table2"])
    if label.get("table3") is not None:
        _table3(res, spec, label)
    if label.get("table4") is not None:
        _table4(res, spec, label["table4"])


def check_sums(res: Result, label: dict[str, Any]) -> None:
    fmt = label.get("format")
    if fmt not in defs.FORMATS:
        return
    index = cell_index(fmt, single_other_row(label))
    entries: list[tuple[int, set[defs.CellRef]]] = []
    incs = label.get("inconsistencies")
    for n, inc in enumerate(incs if isinstance(incs, list) else []):
        if not isinstance(inc, dict):
            res.bad(f"inconsistencies[{n}]: not an object")
            continue
        if inc.get("table") not in TABLE_NAMES.values():
            res.bad(
                f"inconsistencies[{n}].table: {inc.get('table')!r} not one of {list(TABLE_NAMES.values())}"
            )
        if not isinstance(inc.get("description"), str) or not inc["description"].strip():
            res.bad(f"inconsistencies[{n}].description: missing")
        cells = inc.get("cells")
        if not isinstance(cells, list) or not cells:
            res.bad(f"inconsistencies[{n}].cells: a non-empty list of cell names is required")
            continue
        refs = set()
        for name in cells:
            ref = index.get(name) if isinstance(name, str) else None
            if ref is None:
                res.bad(f"inconsistencies[{n}].cells: {name!r} is not a cell of the {fmt} format")
            else:
                refs.add(ref)
        entries.append((n, refs))
    checked, failing = failing_rules(label)
    res.checked, res.failing = checked, len(failing)
    used: set[int] = set()
    for rule, left, right in failing:
        hits = [n for n, refs in entries if refs & set(rule.cells)]
        used.update(hits)
        if hits:
            res.recorded += 1
        else:
            res.bad(f"sum fails and is not in inconsistencies: {rule.description}: {left} ≠ {right}")
    for n, refs in entries:
        if refs and n not in used:
            res.bad(f"inconsistencies[{n}] names no cell of a failing sum (sums agree there; a text/table "
                    "contradiction goes in notes)")  # fmt: skip


def check_metadata(res: Result, label: dict[str, Any]) -> None:
    ident = res.ident
    missing = [k for k in REQUIRED if k not in label]
    if missing:
        res.bad(f"missing keys {missing}")
    if label.get("schema") != defs.SCHEMA:
        res.bad(f"schema {label.get('schema')!r} ≠ {defs.SCHEMA!r}")
    if label.get("id") != ident or not ID.match(ident):
        res.bad(f"id {label.get('id')!r}: must equal the file name {ident!r} (r/d + 3 digits)")
    shape, level, fmt, year = label.get("shape"), label.get("level"), label.get("format"), label.get("year")
    if shape not in SHAPES:
        res.bad(f"shape {shape!r} not in {SHAPES}")
    if level not in LEVELS:
        res.bad(f"level {level!r} not in {LEVELS}")
    if fmt not in defs.FORMATS:
        res.bad(f"format {fmt!r} not in {tuple(defs.FORMATS)}")
    if not isinstance(year, int) or isinstance(year, bool) or not FIRST_YEAR <= year <= date.today().year:
        res.bad(f"year {year!r} not a report year {FIRST_YEAR}–{date.today().year}")
    elif fmt in defs.FORMATS and defs.format_for_year(year) != fmt:
        res.warn(f"format {fmt} is not the format for {year} ({defs.format_for_year(year)}): as printed?")
    for key in ("unit", "province"):
        if not isinstance(label.get(key), str) or not label[key].strip():
            res.bad(f"{key} missing")
    if isinstance(label.get("province"), str) and label["province"] not in PROVINCES:
        res.bad(
            f"province {label['province']!r} is not a provincial-level name (湖北省, 北京市, 广西壮族自治区 …)"
        )
    if not isinstance(label.get("notes"), list) or not all(isinstance(n, str) for n in label["notes"]):
        res.bad("notes: a list of strings is required")
    if not isinstance(label.get("inconsistencies"), list):
        res.bad("inconsistencies: a list is required (empty when the report adds up)")
    if all(label.get(t) is None for t in TABLE_NAMES):
        res.warn("no table at all")


def check_file(res: Result, label: dict[str, Any]) -> None:
    file, shape = label.get("file"), label.get("shape")
    if not isinstance(file, str) or Path(file).stem != res.ident or "/" in file:
        res.bad(f"file {file!r}: must be <id>.<ext> in bench/corpus/files/")
        return
    if not (FILES / file).is_file():
        res.bad(f"file {file} does not exist in bench/corpus/files/")
    elif (FILES / file).stat().st_size == 0:
        res.bad(f"file {file} is empty")
    if (
        isinstance(shape, str)
        and shape in SHAPE_EXTENSIONS
        and Path(file).suffix.lower() not in SHAPE_EXTENSIONS[shape]
    ):
        res.bad(f"file {file}: a {shape} file ends in one of {SHAPE_EXTENSIONS[shape]}")


def check_derivation(res: Result, label: dict[str, Any], labels: dict[str, dict[str, Any]]) -> None:
    derived = label.get("derived")
    if not isinstance(derived, bool):
        res.bad(f"derived {derived!r} must be true or false")
        return
    if not derived:
        if label.get("derived_from") is not None:
            res.bad("derived_from must be null for a real report")
        if not res.ident.startswith("r"):
            res.bad("a real report's id starts with r")
        return
    src = label.get("derived_from")
    if not res.ident.startswith("d"):
        res.bad("a derived report's id starts with d")
    if not isinstance(label.get("derivation"), str) or not label["derivation"].strip():
        res.bad("derivation: the exact command or steps are required for a derived file")
    if src not in labels:
        res.bad(f"derived_from {src!r} is not a label in the corpus")
        return
    source = labels[src]
    if source.get("derived"):
        res.bad(f"derived_from {src!r} is itself derived")
    for key in ("unit", "province", "level", "year", "format", "table2", "table3", "table4"):
        if label.get(key) != source.get(key):
            res.bad(f"{key} differs from the source label {src}")
    cells = [i.get("cells") for i in label.get("inconsistencies") or [] if isinstance(i, dict)]
    if cells != [i.get("cells") for i in source.get("inconsistencies") or [] if isinstance(i, dict)]:
        res.bad(f"inconsistencies differ from the source label {src}")


def check_source(res: Result, label: dict[str, Any]) -> None:
    source = label.get("source")
    if not isinstance(source, dict):
        res.bad("source: an object with repository/path/commit and/or url is required")
        return
    has_repo = all(isinstance(source.get(k), str) and source[k] for k in ("repository", "path"))
    has_url = isinstance(source.get("url"), str) and source["url"].startswith(("http://", "https://"))
    # A text found in the search index whose repository and path the index did not name: its file id and the
    # title it was published under stand in (bench/corpus/README.md, "Sources").
    has_index = isinstance(source.get("index_file_id"), str) and bool(source.get("published_as"))
    has_url = has_url or has_index
    if not (has_repo or has_url):
        res.bad("source: repository + path, url, or index_file_id + published_as is required")
    if has_repo and not (isinstance(source.get("commit"), str) and HEX40.match(source["commit"])):
        res.bad(f"source.commit {source.get('commit')!r}: 40 hex digits required with a repository")


def check_label(ident: str, labels: dict[str, dict[str, Any]]) -> Result:
    res = Result(ident)
    path = LABELS / f"{ident}.json"
    try:
        label = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        res.bad(f"cannot read {path.name}: {exc}")
        return res
    if not isinstance(label, dict):
        res.bad("the label is not a JSON object")
        return res
    check_metadata(res, label)
    check_file(res, label)
    check_derivation(res, label, labels)
    check_source(res, label)
    check_tables(res, label)
    check_sums(res, label)
    shape, fmt, year, level = label.get("shape"), label.get("format"), label.get("year"), label.get("level")
    tables = "".join(TABLE_NAMES[t][1] if label.get(t) is not None else "-" for t in TABLE_NAMES)
    res.summary = (
        f"{shape or '?':13} {fmt or '?':4} {year!s:4} {level or '?':19} tables {tables}  {res.cells:3} cells  "
        f"sums {res.checked:2} checked, {res.failing} failing ({res.recorded} recorded)"
    )
    return res


# ---------------------------------------------------------------------------------------------- table


def corpus_table(ids: list[str]) -> str:
    """The Markdown table of the corpus for README.md, then counts per shape, level, format and province."""
    rows = [
        "| id | unit | province | level | year | format | shape | derived |",
        "|---|---|---|---|---|---|---|---|",
    ]
    labels = [load(i) for i in ids]
    for lab in labels:
        derived = f"from {lab.get('derived_from')}" if lab.get("derived") else "no"
        rows.append(
            f"| {lab.get('id')} | {lab.get('unit')} | {lab.get('province')} | {lab.get('level')} | {lab.get('year')} | "
            f"{lab.get('format')} | {lab.get('shape')} | {derived} |"
        )
    real = [lab for lab in labels if not lab.get("derived")]
    lines = [*rows, ""]
    lines.append(f"{len(labels)} reports ({len(real)} real, {len(labels) - len(real)} derived); "
                 f"{len({lab.get('province') for lab in real})} provinces among the real ones.")  # fmt: skip
    for key in ("shape", "level", "format", "year"):
        counts = Counter(str(lab.get(key)) for lab in labels)
        lines.append(f"- {key}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    missing = [s for s in SHAPES if s not in {lab.get("shape") for lab in labels}]
    missing_levels = [s for s in LEVELS if s not in {lab.get("level") for lab in labels}]
    if missing or missing_levels:
        lines.append(f"- missing: shapes {missing}, levels {missing_levels}")
    return "\n".join(lines)


def duplicates(labels: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    """id → problems: real reports that are the same report (same file bytes or source); "! …" (a warning) where
    only the unit and year are the same."""
    seen: dict[tuple[str, Any], list[str]] = {}
    for ident, lab in labels.items():
        if lab.get("derived"):
            continue
        file = FILES / str(lab.get("file"))
        keys: list[tuple[str, Any]] = [("unit and year", (lab.get("unit"), lab.get("year")))]
        if file.is_file():
            keys.append(("file bytes", hashlib.sha256(file.read_bytes()).hexdigest()))
        src = lab.get("source")
        if isinstance(src, dict) and src.get("repository") and src.get("path"):
            keys.append(("source", (src["repository"], src["path"])))
        if isinstance(src, dict) and src.get("url"):
            keys.append(("source url", src["url"]))
        for key in keys:
            seen.setdefault(key, []).append(ident)
    why: dict[tuple[str, str], list[str]] = {}
    for (what, _), ids in seen.items():
        for i in ids:
            for j in ids:
                if i != j:
                    why.setdefault((i, j), []).append(what)
    out: dict[str, list[str]] = {}
    for (i, j), whats in sorted(why.items()):
        if whats == [
            "unit and year"
        ]:  # two reports of one unit and year can exist (本级 and 全市): a warning
            out.setdefault(i, []).append(f"! the same unit and year as {j}: two different reports?")
        else:
            out.setdefault(i, []).append(f"the same report as {j} ({', '.join(whats)}): keep one")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("ids", nargs="*", help="label ids (default: all in bench/corpus/labels)")
    parser.add_argument("--table", action="store_true", help="print the corpus table (Markdown) and exit")
    parser.add_argument(
        "--readme", action="store_true", help="write the table into README.md (between markers)"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print only labels with problems")
    args = parser.parse_args(argv)
    ids = args.ids or all_ids()
    if args.table:
        print(corpus_table(ids))
        return 0
    if args.readme:
        readme = HERE / "README.md"
        head, _, rest = readme.read_text(encoding="utf-8").partition(TABLE_BEGIN)
        _, _, tail = rest.partition(TABLE_END)
        readme.write_text(f"{head}{TABLE_BEGIN}\n{corpus_table(ids)}\n{TABLE_END}{tail}", encoding="utf-8")
        print(f"wrote the table of {len(ids)} reports into {readme.relative_to(ROOT)}")
        return 0
    labels: dict[str, dict[str, Any]] = {}
    for i in all_ids():
        with contextlib.suppress(OSError, ValueError):
            labels[i] = load(i)
    bad = 0
    same = duplicates(labels)
    for ident in ids:
        res = check_label(ident, labels)
        for problem in same.get(ident, []):
            if problem.startswith("! "):
                res.warn(problem[2:])
            else:
                res.bad(problem)
        bad += bool(res.problems)
        if args.quiet and not res.problems:
            continue
        print(f"{ident}  {'FAIL' if res.problems else 'ok  '}  {res.summary}")
        for p in res.problems:
            print(f"    ✗ {p}")
        for w in res.warnings:
            print(f"    ! {w}")
    print(f"{len(ids)} labels, {len(ids) - bad} ok, {bad} with problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
