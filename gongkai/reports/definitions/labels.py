"""The labels of the official 年度报告 tables: sections, cells, 表三 and 表四 labels and row keys.

The leaf labels of 表三 (申请人情况 columns, 办理结果 rows) and 表四 (groups, result columns) are built from the
applications vocabulary (``gongkai.applications.vocab``), which spells each of them once; only the labels the
records do not carry (总计, （七）总计, the header cells, the 一/二/四 row labels) are written here.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.applications.vocab import OUTCOME_GROUPS, ApplicantType, Outcome, RemedyKind, RemedyResult

SCHEMA = "gongkai.annual-report/1"
PRE2019 = "pre2019"
FORMAT_CODES = (PRE2019, "2019", "2021")
# What a reader is shown of a format: its edition, never the code (60号 for 2019–2020, 30号 from 2021).
FORMAT_LABELS: dict[str, str] = {PRE2019: "2019年以前", "2019": "2019年版", "2021": "2021年版"}


def format_label(code: str | None) -> str:
    """「2021年版」/「2019年版」/「2019年以前」 for a format code; 「未知格式」 for anything else (never the code)."""
    return FORMAT_LABELS.get(code or "", "未知格式")


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

    @classmethod
    def parse(cls, key: str) -> CellRef:
        """ "table3:<row>:<column>" (``key``) → CellRef (row keys may contain "/", never ":")."""
        table, rest = key.split(":", 1)
        row, column = rest.rsplit(":", 1)
        return cls(table, row, column)


# ---------------------------------------------------------------------------------------------- 表三

TABLE3_TOTAL_COLUMN = "总计"
# ApplicantType value (gongkai.applications.vocab) → 表三 column: the labels are the columns, in table order.
APPLICANT_COLUMNS: dict[str, str] = {t.value: t.label for t in ApplicantType}
TABLE3_PARTY_COLUMNS: tuple[str, ...] = tuple(APPLICANT_COLUMNS.values())
TABLE3_COLUMNS: tuple[str, ...] = (*TABLE3_PARTY_COLUMNS, TABLE3_TOTAL_COLUMN)

TABLE3_IDENTITY_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
TABLE3_HEADER: tuple[tuple[Cell, ...], ...] = (
    (Cell(TABLE3_IDENTITY_NOTE, colspan=3, rowspan=3), Cell("申请人情况", colspan=7)),
    (
        Cell(TABLE3_PARTY_COLUMNS[0], rowspan=2),
        Cell("法人或其他组织", colspan=len(TABLE3_PARTY_COLUMNS) - 1),
        Cell(TABLE3_TOTAL_COLUMN, rowspan=2),
    ),
    tuple(Cell(c) for c in TABLE3_PARTY_COLUMNS[1:]),
)

RECEIVED = "一、本年新收政府信息公开申请数量"
CARRIED_IN = "二、上年结转政府信息公开申请数量"
RESULTS = "三、本年度办理结果"
RESULTS_TOTAL_LABEL = "（七）总计"
RESULTS_TOTAL = f"{RESULTS}/{RESULTS_TOTAL_LABEL}"
CARRIED_OUT = "四、结转下年度继续办理"

# 三、本年度办理结果 from the Outcome vocabulary: its groups (（一）…（六）, OUTCOME_GROUPS) and, under （三）…（六）,
# the numbered leaves "<n>.<Outcome label>" (code "3.2" → "2.其他法律行政法规禁止公开"), in official order (30号).
DISCLOSED = OUTCOME_GROUPS["1"]
PARTIAL = OUTCOME_GROUPS["2"]
OTHER_GROUP = OUTCOME_GROUPS["6"]
OTHER_2019 = f"{RESULTS}/{OTHER_GROUP}"


def _leaves(group: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        (o.value, f"{o.value.split('.')[1]}.{o.label}") for o in Outcome if o.value.startswith(f"{group}.")
    )


# (group label, ((outcome code, numbered leaf label), …)) for （三）–（六）.
OUTCOME_LEAF_GROUPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = tuple(
    (OUTCOME_GROUPS[g], _leaves(g)) for g in ("3", "4", "5", "6")
)
OUTCOME_CODES: tuple[str, ...] = tuple(o.value for o in Outcome)

# ---------------------------------------------------------------------------------------------- 表四

TABLE4_TOTAL_COLUMN = "总计"
SUIT_GROUP = "行政诉讼"
# RemedyKind / RemedyResult values (gongkai.applications.vocab) → 表四 group / column; the 行政诉讼 groups sit
# under the 行政诉讼 header ("行政诉讼/未经复议直接起诉").
REMEDY_GROUPS: dict[str, str] = {
    k.value: k.label if k == RemedyKind.REVIEW else f"{SUIT_GROUP}/{k.label}" for k in RemedyKind
}
REMEDY_RESULT_COLUMNS: dict[str, str] = {r.value: r.label for r in RemedyResult}
TABLE4_COLUMNS: tuple[str, ...] = (*REMEDY_RESULT_COLUMNS.values(), TABLE4_TOTAL_COLUMN)
TABLE4_GROUPS: tuple[str, ...] = tuple(REMEDY_GROUPS.values())
