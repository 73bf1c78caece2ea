"""The official 年度报告 formats (60号 2019, 30号 2021) as data: sections, tables 二/三/四, merges, sum rules.

One source for compute, render, checks and the importer (statutory-rules.md §2–§4, report-json.md).

Public API (pure data, no Django models):

- ``FORMATS: dict[str, ReportFormat]`` — ``"2019"`` (60号, reports on 2019–2020) and ``"2021"`` (30号,
  reports on 2021 onward). ``PRE2019 = "pre2019"`` marks 2008-条例 reports (no fixed tables, not in FORMATS);
  ``FORMAT_CODES`` lists all three.
- ``format_for_year(year) -> str`` — the format a report on ``year`` must use.
- ``ReportFormat`` fields: ``code``, ``name`` (document title), ``issued_by``, ``table3_rows``
  (tuple of ``Table3Row``: ``key`` = canonical key as in report-json.md, ``label_cells`` with spans,
  ``outcomes`` = Outcome codes counted in the row, ``kind`` received/carried_in/outcome/total/carried_out),
  ``table3_columns`` (the 7 data column labels, 总计 last), ``table3_header`` (3 header rows of ``Cell``),
  ``table2_layout`` (``Table2Layout``: width, blocks of ``Table2Block`` with item header, data columns
  with colspan and value kind, row labels), ``table4_layout`` (``Table4Layout``: groups, columns, header rows),
  ``sum_rules`` (tuple of ``SumRule``: ``left == right`` sums of ``CellRef``), ``outcome_rows``
  (Outcome code → row key; 2019 collapses 6.1–6.3 into ``…/（六）其他处理``), ``row(key)``,
  ``table3_row_keys``, ``outcome_row_keys``.
- ``APPLICANT_COLUMNS`` — ApplicantType value → 表三 column label; ``TABLE3_TOTAL_COLUMN = "总计"``.
- ``REMEDY_GROUPS`` / ``REMEDY_RESULT_COLUMNS`` — RemedyKind value → 表四 group key, RemedyResult value → column.
- ``SECTION_HEADINGS`` (一…六 → exact heading), ``SECTION_HEADING_VARIANTS`` (accepted spellings per section).
- ``empty_document(unit, year, fmt, scope, *, unit_code=None, fill=0) -> dict`` — canonical JSON skeleton
  with every row/column of the format (``fill`` = value of every cell, 0 for computed, None for parsed).
- ``publication_deadline(year, org_kind) -> date`` — deadline for the report on ``year`` by kind alone
  (条例第四十九条 or the configured local rule; see ``gongkai.orgs.report_deadlines``).
- ``CellRef(table, row, column)`` with ``.key`` = ``"table3:<row key>:<column>"`` (used in findings);
  ``cell_value(doc, ref)``; row-key constants ``RECEIVED``, ``CARRIED_IN``, ``RESULTS_TOTAL``, ``CARRIED_OUT``,
  ``OTHER_2019``; ``OUTCOME_CODES`` (the 21 leaf codes); ``TABLE3_COLUMNS``, ``TABLE4_GROUPS``, ``TABLE4_COLUMNS``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

SCHEMA = "gongkai.annual-report/1"
PRE2019 = "pre2019"
FORMAT_CODES = (PRE2019, "2019", "2021")
SCOPES = ("self", "tree", "unknown")

# ---------------------------------------------------------------------------------------------- sections

SECTION_NUMBERS = ("一", "二", "三", "四", "五", "六")
SECTION_HEADINGS: dict[str, str] = {
    "一": "一、总体情况",
    "二": "二、主动公开政府信息情况",
    "三": "三、收到和处理政府信息公开申请情况",
    "四": "四、政府信息公开行政复议、行政诉讼情况",
    "五": "五、存在的主要问题及改进情况",
    "六": "六、其他需要报告的事项",
}
SECTION_HEADING_VARIANTS: dict[str, tuple[str, ...]] = {
    **{n: (h,) for n, h in SECTION_HEADINGS.items()},
    "五": (
        "五、存在的主要问题及改进情况",
        "五、政府信息公开工作存在的主要问题及改进情况",
        "五、存在问题及改进情况",
    ),
}


# ---------------------------------------------------------------------------------------------- cells


@dataclass(frozen=True)
class Cell:
    """One cell of an official table header or label column, with its merges."""

    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class CellRef:
    """A data cell of the canonical JSON: table ("table2"/"table3"/"table4"), row key, column label."""

    table: str
    row: str
    column: str

    @property
    def key(self) -> str:
        return f"{self.table}:{self.row}:{self.column}"


# ---------------------------------------------------------------------------------------------- 表三

TABLE3_TOTAL_COLUMN = "总计"
TABLE3_COLUMNS: tuple[str, ...] = (
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
)
TABLE3_PARTY_COLUMNS = TABLE3_COLUMNS[:-1]

# ApplicantType value (gongkai.applications.vocab) → 表三 column.
APPLICANT_COLUMNS: dict[str, str] = {
    "natural": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "public_welfare": "社会公益组织",
    "legal_service": "法律服务机构",
    "other": "其他",
}

TABLE3_IDENTITY_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
TABLE3_HEADER: tuple[tuple[Cell, ...], ...] = (
    (Cell(TABLE3_IDENTITY_NOTE, colspan=3, rowspan=3), Cell("申请人情况", colspan=7)),
    (Cell("自然人", rowspan=2), Cell("法人或其他组织", colspan=5), Cell("总计", rowspan=2)),
    (Cell("商业企业"), Cell("科研机构"), Cell("社会公益组织"), Cell("法律服务机构"), Cell("其他")),
)

RECEIVED = "一、本年新收政府信息公开申请数量"
CARRIED_IN = "二、上年结转政府信息公开申请数量"
RESULTS = "三、本年度办理结果"
RESULTS_TOTAL = "三、本年度办理结果/（七）总计"
CARRIED_OUT = "四、结转下年度继续办理"
OTHER_2019 = "三、本年度办理结果/（六）其他处理"

RowKind = Literal["received", "carried_in", "outcome", "total", "carried_out"]


@dataclass(frozen=True)
class Table3Row:
    """One data row of 表三: canonical key, label cells (with merges), the Outcome codes it counts."""

    key: str
    label_cells: tuple[Cell, ...]
    kind: RowKind
    outcomes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The row's own (innermost) label."""
        return self.key.rsplit("/", 1)[-1]


# (group label, [(outcome code, leaf label)]) for 三、本年度办理结果, in official order (30号).
_REFUSED = (
    ("3.1", "1.属于国家秘密"),
    ("3.2", "2.其他法律行政法规禁止公开"),
    ("3.3", "3.危及“三安全一稳定”"),
    ("3.4", "4.保护第三方合法权益"),
    ("3.5", "5.属于三类内部事务信息"),
    ("3.6", "6.属于四类过程性信息"),
    ("3.7", "7.属于行政执法案卷"),
    ("3.8", "8.属于行政查询事项"),
)
_UNABLE = (
    ("4.1", "1.本机关不掌握相关政府信息"),
    ("4.2", "2.没有现成信息需要另行制作"),
    ("4.3", "3.补正后申请内容仍不明确"),
)
_NOT_PROCESSED = (
    ("5.1", "1.信访举报投诉类申请"),
    ("5.2", "2.重复申请"),
    ("5.3", "3.要求提供公开出版物"),
    ("5.4", "4.无正当理由大量反复申请"),
    ("5.5", "5.要求行政机关确认或重新出具已获取信息"),
)
_OTHER_2021 = (
    ("6.1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("6.2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("6.3", "3.其他"),
)
OUTCOME_CODES: tuple[str, ...] = (
    "1",
    "2",
    *(c for c, _ in _REFUSED),
    *(c for c, _ in _UNABLE),
    *(c for c, _ in _NOT_PROCESSED),
    *(c for c, _ in _OTHER_2021),
)


def _table3_rows(fmt: str) -> tuple[Table3Row, ...]:
    groups: list[tuple[str, tuple[tuple[str, str], ...]]] = [
        ("（三）不予公开", _REFUSED),
        ("（四）无法提供", _UNABLE),
        ("（五）不予处理", _NOT_PROCESSED),
    ]
    if fmt == "2021":
        groups.append(("（六）其他处理", _OTHER_2021))
    result_rows = 2 + sum(len(leaves) for _, leaves in groups) + (1 if fmt == "2019" else 0) + 1
    rows: list[Table3Row] = [
        Table3Row(RECEIVED, (Cell(RECEIVED, colspan=3),), "received"),
        Table3Row(CARRIED_IN, (Cell(CARRIED_IN, colspan=3),), "carried_in"),
    ]
    head = Cell(RESULTS, rowspan=result_rows)
    first = "（一）予以公开"
    rows.append(Table3Row(f"{RESULTS}/{first}", (head, Cell(first, colspan=2)), "outcome", ("1",)))
    partial = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    rows.append(Table3Row(f"{RESULTS}/{partial}", (Cell(partial, colspan=2),), "outcome", ("2",)))
    for group, leaves in groups:
        for i, (code, leaf) in enumerate(leaves):
            cells = (Cell(group, rowspan=len(leaves)), Cell(leaf)) if i == 0 else (Cell(leaf),)
            rows.append(Table3Row(f"{RESULTS}/{group}/{leaf}", cells, "outcome", (code,)))
    if fmt == "2019":
        rows.append(
            Table3Row(OTHER_2019, (Cell("（六）其他处理", colspan=2),), "outcome", ("6.1", "6.2", "6.3"))
        )
    rows.append(Table3Row(RESULTS_TOTAL, (Cell("（七）总计", colspan=2),), "total"))
    rows.append(Table3Row(CARRIED_OUT, (Cell(CARRIED_OUT, colspan=3),), "carried_out"))
    return tuple(rows)


# ---------------------------------------------------------------------------------------------- 表二

ValueKind = Literal["count", "delta", "amount"]


@dataclass(frozen=True)
class Table2Column:
    """A data column of a 表二 block: label (= JSON key), display colspan, value kind."""

    label: str
    colspan: int = 1
    kind: ValueKind = "count"


@dataclass(frozen=True)
class Table2Block:
    """A 第二十条 item block: full-width header row, column header row, one row per 信息内容."""

    item: str
    columns: tuple[Table2Column, ...]
    rows: tuple[str, ...]


@dataclass(frozen=True)
class Table2Layout:
    width: int
    blocks: tuple[Table2Block, ...]
    label_header: str = "信息内容"

    def block(self, item: str) -> Table2Block:
        return next(b for b in self.blocks if b.item == item)

    def cells(self) -> list[CellRef]:
        """Every data cell, in reading order (row key = ``item/row``)."""
        return [
            CellRef("table2", f"{b.item}/{r}", c.label)
            for b in self.blocks
            for r in b.rows
            for c in b.columns
        ]


TABLE2_2019 = Table2Layout(
    width=5,
    blocks=(
        Table2Block(
            "第二十条第（一）项",
            (
                Table2Column("本年新制作数量"),
                Table2Column("本年新公开数量", colspan=2),
                Table2Column("对外公开总数量"),
            ),
            ("规章", "规范性文件"),
        ),
        Table2Block(
            "第二十条第（五）项",
            (
                Table2Column("上一年项目数量"),
                Table2Column("本年增/减", colspan=2, kind="delta"),
                Table2Column("处理决定数量"),
            ),
            ("行政许可", "其他对外管理服务事项"),
        ),
        Table2Block(
            "第二十条第（六）项",
            (
                Table2Column("上一年项目数量"),
                Table2Column("本年增/减", colspan=2, kind="delta"),
                Table2Column("处理决定数量"),
            ),
            ("行政处罚", "行政强制"),
        ),
        Table2Block(
            "第二十条第（八）项",
            (Table2Column("上一年项目数量", colspan=2), Table2Column("本年增/减", colspan=2, kind="delta")),
            ("行政事业性收费",),
        ),
        Table2Block(
            "第二十条第（九）项",
            (Table2Column("采购项目数量", colspan=2), Table2Column("采购总金额", colspan=2, kind="amount")),
            ("政府集中采购",),
        ),
    ),
)

TABLE2_2021 = Table2Layout(
    width=4,
    blocks=(
        Table2Block(
            "第二十条第（一）项",
            (Table2Column("本年制发件数"), Table2Column("本年废止件数"), Table2Column("现行有效件数")),
            ("规章", "行政规范性文件"),
        ),
        Table2Block("第二十条第（五）项", (Table2Column("本年处理决定数量", colspan=3),), ("行政许可",)),
        Table2Block(
            "第二十条第（六）项", (Table2Column("本年处理决定数量", colspan=3),), ("行政处罚", "行政强制")
        ),
        Table2Block(
            "第二十条第（八）项",
            (Table2Column("本年收费金额（单位：万元）", colspan=3, kind="amount"),),
            ("行政事业性收费",),
        ),
    ),
)

# ---------------------------------------------------------------------------------------------- 表四

TABLE4_COLUMNS: tuple[str, ...] = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
TABLE4_GROUPS: tuple[str, ...] = ("行政复议", "行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉")
# RemedyKind / RemedyResult values (gongkai.applications.vocab) → 表四 group / column.
REMEDY_GROUPS: dict[str, str] = {
    "review": "行政复议",
    "suit_direct": "行政诉讼/未经复议直接起诉",
    "suit_after_review": "行政诉讼/复议后起诉",
}
REMEDY_RESULT_COLUMNS: dict[str, str] = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
}


@dataclass(frozen=True)
class Table4Layout:
    groups: tuple[str, ...]
    columns: tuple[str, ...]
    header: tuple[tuple[Cell, ...], ...]

    def cells(self) -> list[CellRef]:
        return [CellRef("table4", g, c) for g in self.groups for c in self.columns]


_RESULT_CELLS = tuple(Cell(c) for c in TABLE4_COLUMNS)
TABLE4 = Table4Layout(
    groups=TABLE4_GROUPS,
    columns=TABLE4_COLUMNS,
    header=(
        (Cell("行政复议", colspan=5), Cell("行政诉讼", colspan=10)),
        (
            *(Cell(c, rowspan=2) for c in TABLE4_COLUMNS),
            Cell("未经复议直接起诉", colspan=5),
            Cell("复议后起诉", colspan=5),
        ),
        (*_RESULT_CELLS, *_RESULT_CELLS),
    ),
)

# ---------------------------------------------------------------------------------------------- sum rules


@dataclass(frozen=True)
class SumRule:
    """``sum(left) == sum(right)``; ``code`` is the checker's finding code when it fails."""

    code: str
    left: tuple[CellRef, ...]
    right: tuple[CellRef, ...]
    description: str

    @property
    def cells(self) -> tuple[CellRef, ...]:
        return self.left + self.right


def _sum_rules(rows: tuple[Table3Row, ...]) -> tuple[SumRule, ...]:
    rules: list[SumRule] = []
    for row in rows:  # 总计 column = the six applicant columns (§2.6 rule 5)
        rules.append(
            SumRule(
                "table3_row_total",
                (CellRef("table3", row.key, TABLE3_TOTAL_COLUMN),),
                tuple(CellRef("table3", row.key, c) for c in TABLE3_PARTY_COLUMNS),
                f"“{row.key}”的总计应等于各类申请人之和",
            )
        )
    outcome_keys = [r.key for r in rows if r.kind == "outcome"]
    for col in TABLE3_COLUMNS:  # （七）总计 = all outcome rows (rule 4)
        rules.append(
            SumRule(
                "table3_results_total",
                (CellRef("table3", RESULTS_TOTAL, col),),
                tuple(CellRef("table3", k, col) for k in outcome_keys),
                f"“{col}”列的（七）总计应等于各项办理结果之和",
            )
        )
    for col in TABLE3_COLUMNS:  # 一 + 二 = 三（七） + 四 (rule 1, stated in the header)
        rules.append(
            SumRule(
                "table3_identity",
                (CellRef("table3", RECEIVED, col), CellRef("table3", CARRIED_IN, col)),
                (CellRef("table3", RESULTS_TOTAL, col), CellRef("table3", CARRIED_OUT, col)),
                f"“{col}”列：第一项加第二项之和应等于第三项（七）总计加第四项之和",
            )
        )
    for group in TABLE4_GROUPS:  # 表四 总计 (rule 6)
        rules.append(
            SumRule(
                "table4_total",
                (CellRef("table4", group, "总计"),),
                tuple(CellRef("table4", group, c) for c in TABLE4_COLUMNS[:-1]),
                f"表四“{group}”的总计应等于结果维持、结果纠正、其他结果、尚未审结之和",
            )
        )
    return tuple(rules)


# ---------------------------------------------------------------------------------------------- formats


@dataclass(frozen=True)
class ReportFormat:
    code: str
    name: str
    issued_by: str
    years: tuple[int, int | None]
    table2_layout: Table2Layout
    table3_rows: tuple[Table3Row, ...]
    table3_columns: tuple[str, ...] = TABLE3_COLUMNS
    table3_header: tuple[tuple[Cell, ...], ...] = TABLE3_HEADER
    table4_layout: Table4Layout = TABLE4
    sections: dict[str, str] = field(default_factory=lambda: dict(SECTION_HEADINGS))
    sum_rules: tuple[SumRule, ...] = ()
    outcome_rows: dict[str, str] = field(default_factory=dict)

    @property
    def table3_row_keys(self) -> tuple[str, ...]:
        return tuple(r.key for r in self.table3_rows)

    @property
    def outcome_row_keys(self) -> tuple[str, ...]:
        return tuple(r.key for r in self.table3_rows if r.kind == "outcome")

    def row(self, key: str) -> Table3Row:
        return next(r for r in self.table3_rows if r.key == key)

    def table3_cells(self) -> list[CellRef]:
        return [CellRef("table3", r.key, c) for r in self.table3_rows for c in self.table3_columns]


def _make(
    code: str, name: str, issued_by: str, years: tuple[int, int | None], t2: Table2Layout
) -> ReportFormat:
    rows = _table3_rows(code)
    outcome_rows = {o: r.key for r in rows for o in r.outcomes}
    return ReportFormat(
        code=code,
        name=name,
        issued_by=issued_by,
        years=years,
        table2_layout=t2,
        table3_rows=rows,
        sum_rules=_sum_rules(rows),
        outcome_rows=outcome_rows,
    )


FORMATS: dict[str, ReportFormat] = {
    "2019": _make(
        "2019",
        "中华人民共和国政府信息公开工作年度报告格式（试行）",
        "国办公开办函〔2019〕60号",
        (2019, 2020),
        TABLE2_2019,
    ),
    "2021": _make(
        "2021",
        "中华人民共和国政府信息公开工作年度报告格式",
        "国办公开办函〔2021〕30号",
        (2021, None),
        TABLE2_2021,
    ),
}


def format_for_year(year: int) -> str:
    """The format a report on ``year`` must use: pre2019 (<2019), 60号 "2019" (2019–2020), 30号 "2021" (2021–)."""
    if year < 2019:
        return PRE2019
    return "2019" if year <= 2020 else "2021"


def publication_deadline(year: int, org_kind: str | None) -> date:
    """Latest publication date (inclusive) for the report on ``year`` by organisation kind alone.

    Governments (``org_kind == "government"``) by 3月31日, 县级以上人民政府部门 by 1月31日 of the following
    year (条例第四十九条); under the 2008 条例 (reports on 2008–2018, 第三十一条) every agency by 3月31日. Kinds
    第四十九条 does not name follow the deployment's local rule. One source: ``gongkai.orgs.report_deadlines``
    (use ``org_report_deadline(org, year)`` where the organisation is known: it adds its own override).
    """
    from gongkai.orgs.report_deadlines import report_deadline

    return report_deadline(year, kind=org_kind or "department").due


def empty_document(
    unit: str,
    year: int | None,
    fmt: str,
    scope: str,
    *,
    unit_code: str | None = None,
    fill: int | None = 0,
) -> dict[str, Any]:
    """A canonical JSON skeleton (report-json.md) listing every row and cell of ``fmt``, each set to ``fill``."""
    doc: dict[str, Any] = {
        "schema": SCHEMA,
        "unit": unit,
        "unit_code": unit_code,
        "year": year,
        "format": fmt,
        "scope": scope,
        "sections": {n: "" for n in SECTION_NUMBERS},
        "table2": None,
        "table3": None,
        "table4": None,
    }
    spec = FORMATS.get(fmt)
    if spec is None:  # pre2019: no fixed tables
        return doc
    doc["table2"] = {
        b.item: {r: {c.label: fill for c in b.columns} for r in b.rows} for b in spec.table2_layout.blocks
    }
    doc["table3"] = {
        "columns": list(spec.table3_columns),
        "rows": {r.key: [fill] * len(spec.table3_columns) for r in spec.table3_rows},
    }
    doc["table4"] = {g: {c: fill for c in spec.table4_layout.columns} for g in spec.table4_layout.groups}
    return doc


def cell_value(doc: dict[str, Any], ref: CellRef) -> Any:
    """The value at ``ref`` in a canonical document; raises KeyError/IndexError/TypeError if absent."""
    if ref.table == "table3":
        t3 = doc["table3"]
        return t3["rows"][ref.row][list(t3["columns"]).index(ref.column)]
    if ref.table == "table4":
        return doc["table4"][ref.row][ref.column]
    item, row = ref.row.split("/", 1)
    return doc["table2"][item][row][ref.column]
