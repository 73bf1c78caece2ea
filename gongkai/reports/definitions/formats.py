"""The two official formats (60号 2019, 30号 2021) as data: 表三 rows, 表二 and 表四 layouts, sum rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from gongkai.catalog.vocab import DocKind

from .labels import (
    CARRIED_IN,
    CARRIED_OUT,
    DISCLOSED,
    OTHER_2019,
    OTHER_GROUP,
    OUTCOME_LEAF_GROUPS,
    PARTIAL,
    PRE2019,
    RECEIVED,
    RESULTS,
    RESULTS_TOTAL,
    RESULTS_TOTAL_LABEL,
    SECTION_HEADINGS,
    SUIT_GROUP,
    TABLE3_COLUMNS,
    TABLE3_HEADER,
    TABLE3_PARTY_COLUMNS,
    TABLE3_TOTAL_COLUMN,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    TABLE4_TOTAL_COLUMN,
    Cell,
    CellRef,
)

# ---------------------------------------------------------------------------------------------- 表三

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


def _table3_rows(fmt: str) -> tuple[Table3Row, ...]:
    # 2019 (60号) has （三）–（五） with leaves and a single （六）其他处理 row; 2021 (30号) splits （六） into leaves.
    groups = OUTCOME_LEAF_GROUPS if fmt == "2021" else OUTCOME_LEAF_GROUPS[:-1]
    result_rows = 2 + sum(len(leaves) for _, leaves in groups) + (1 if fmt == "2019" else 0) + 1
    rows: list[Table3Row] = [
        Table3Row(RECEIVED, (Cell(RECEIVED, colspan=3),), "received"),
        Table3Row(CARRIED_IN, (Cell(CARRIED_IN, colspan=3),), "carried_in"),
    ]
    head = Cell(RESULTS, rowspan=result_rows)
    rows.append(Table3Row(f"{RESULTS}/{DISCLOSED}", (head, Cell(DISCLOSED, colspan=2)), "outcome", ("1",)))
    rows.append(Table3Row(f"{RESULTS}/{PARTIAL}", (Cell(PARTIAL, colspan=2),), "outcome", ("2",)))
    for group, leaves in groups:
        for i, (code, leaf) in enumerate(leaves):
            cells = (Cell(group, rowspan=len(leaves)), Cell(leaf)) if i == 0 else (Cell(leaf),)
            rows.append(Table3Row(f"{RESULTS}/{group}/{leaf}", cells, "outcome", (code,)))
    if fmt == "2019":
        other = tuple(code for code, _ in OUTCOME_LEAF_GROUPS[-1][1])
        rows.append(Table3Row(OTHER_2019, (Cell(OTHER_GROUP, colspan=2),), "outcome", other))
    rows.append(Table3Row(RESULTS_TOTAL, (Cell(RESULTS_TOTAL_LABEL, colspan=2),), "total"))
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

# The catalogue counts the 2021 format's 第二十条第（一）项 and hands neutral keys
# (``gongkai.catalog.selectors.regulation_figures``: DocKind value → figure key → count); these map them to the
# block's rows and columns, which are labelled here only.
CATALOGUE_ITEM = "第二十条第（一）项"
CATALOGUE_ROWS: dict[str, str] = {DocKind.REGULATION: "规章", DocKind.NORMATIVE: "行政规范性文件"}
CATALOGUE_COLUMNS: dict[str, str] = {
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "current": "现行有效件数",
}

TABLE2_2021 = Table2Layout(
    width=4,
    blocks=(
        Table2Block(
            CATALOGUE_ITEM,
            tuple(Table2Column(label) for label in CATALOGUE_COLUMNS.values()),
            tuple(CATALOGUE_ROWS.values()),
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


@dataclass(frozen=True)
class Table4Layout:
    groups: tuple[str, ...]
    columns: tuple[str, ...]
    header: tuple[tuple[Cell, ...], ...]

    def cells(self) -> list[CellRef]:
        return [CellRef("table4", g, c) for g in self.groups for c in self.columns]


def _table4() -> Table4Layout:
    review, *suits = TABLE4_GROUPS
    width = len(TABLE4_COLUMNS)
    results = tuple(Cell(c) for c in TABLE4_COLUMNS)
    return Table4Layout(
        groups=TABLE4_GROUPS,
        columns=TABLE4_COLUMNS,
        header=(
            (Cell(review, colspan=width), Cell(SUIT_GROUP, colspan=width * len(suits))),
            (
                *(Cell(c, rowspan=2) for c in TABLE4_COLUMNS),
                *(Cell(s.removeprefix(f"{SUIT_GROUP}/"), colspan=width) for s in suits),
            ),
            results * len(suits),
        ),
    )


TABLE4 = _table4()

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

    def sides(self, value: Callable[[CellRef], Decimal | int | None]) -> tuple[Decimal, Decimal] | None:
        """``sum(left)``, ``sum(right)`` with each cell's value read by ``value``; None when a cell has none (the
        rule cannot be judged). The one statement of a sum rule: the checks, the importer's aligner and its OCR
        digit hints all evaluate a rule here."""
        sums = []
        for refs in (self.left, self.right):
            total = Decimal(0)
            for ref in refs:
                v = value(ref)
                if v is None:
                    return None
                total += v
            sums.append(total)
        return sums[0], sums[1]

    def holds(self, value: Callable[[CellRef], Decimal | int | None]) -> bool | None:
        """Whether ``sum(left) == sum(right)`` with each cell read by ``value`` (None: not judged, see ``sides``)."""
        sides = self.sides(value)
        return None if sides is None else sides[0] == sides[1]


def _row_total_rule(key: str) -> SumRule:
    """A 表三 row's 总计 column = its six applicant columns (§2.6 rule 5)."""
    return SumRule(
        "table3_row_total",
        (CellRef("table3", key, TABLE3_TOTAL_COLUMN),),
        tuple(CellRef("table3", key, c) for c in TABLE3_PARTY_COLUMNS),
        f"“{key}”的总计应等于各类申请人之和",
    )


def _sum_rules(rows: tuple[Table3Row, ...]) -> tuple[SumRule, ...]:
    rules: list[SumRule] = [_row_total_rule(row.key) for row in rows]
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
                (CellRef("table4", group, TABLE4_TOTAL_COLUMN),),
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

    def table3_cells(self, *, single_other: bool = False) -> list[CellRef]:
        """Every 表三 cell; ``single_other``: the single （六）其他处理 row in place of its three sub-rows."""
        keys = self.single_other_keys() if single_other else self.table3_row_keys
        return [CellRef("table3", k, c) for k in keys for c in self.table3_columns]

    def single_other_keys(self) -> tuple[str, ...]:
        """表三 row keys of a 2021 report on a local template keeping the single （六）其他处理 row
        (report-json.md): that row where the three sub-rows stand."""
        subs = [k for k in self.table3_row_keys if k.startswith(f"{OTHER_2019}/")]
        if not subs:
            return self.table3_row_keys
        at = self.table3_row_keys.index(subs[0])
        return (*self.table3_row_keys[:at], OTHER_2019, *self.table3_row_keys[at + len(subs) :])

    def rules(self, *, single_other: bool = False) -> tuple[SumRule, ...]:
        """The sum rules; ``single_other``: with the single （六）其他处理 row instead of its sub-rows (its own
        row total, counted in （七）总计 — the sums still apply to it)."""
        keys = self.single_other_keys() if single_other else self.table3_row_keys
        if keys == self.table3_row_keys:
            return self.sum_rules
        subs = set(self.table3_row_keys) - set(keys)
        out: list[SumRule] = []
        for rule in self.sum_rules:
            if all(ref.row in subs for ref in rule.cells):
                continue  # a sub-row's own total
            if rule.code == "table3_results_total":
                column = rule.left[0].column
                right = (*(r for r in rule.right if r.row not in subs), CellRef("table3", OTHER_2019, column))
                rule = SumRule(rule.code, rule.left, right, rule.description)
            out.append(rule)
        out.append(_row_total_rule(OTHER_2019))
        return tuple(out)


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
