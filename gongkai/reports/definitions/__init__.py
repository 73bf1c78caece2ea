"""The official 年度报告 formats (60号 2019, 30号 2021) as data: sections, tables 二/三/四, merges, sum rules.

One source for compute, render, checks and the importer (statutory-rules.md §2–§4, report-json.md). The leaf
labels of 表三 and 表四 come from the applications vocabulary (``gongkai.applications.vocab``): ApplicantType
labels are the 表三 columns, Outcome labels its numbered leaves, RemedyKind / RemedyResult labels the 表四
groups and columns. Modules: ``labels`` (sections, cells, 表三/表四 labels and row keys), ``formats`` (the
formats: rows, layouts, sum rules), ``skeleton`` (an empty document, reading a cell, the deadline); everything
is importable from ``gongkai.reports.definitions``.

Public API (pure data, no Django models):

- ``FORMATS: dict[str, ReportFormat]`` — ``"2019"`` (60号, reports on 2019–2020) and ``"2021"`` (30号,
  reports on 2021 onward). ``PRE2019 = "pre2019"`` marks 2008-条例 reports (no fixed tables, not in FORMATS);
  ``FORMAT_CODES`` lists all three; ``format_label(code)`` is what a reader sees of one (「2021年版」, never the
  code; ``FORMAT_LABELS``).
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
- ``CATALOGUE_ITEM`` / ``CATALOGUE_ROWS`` / ``CATALOGUE_COLUMNS`` — the catalogue's neutral figure keys
  (DocKind value, ``issued``/``repealed``/``current``) → the 2021 表二 第二十条第（一）项 rows and columns.
- ``SECTION_HEADINGS`` (一…六 → exact heading), ``SECTION_HEADING_VARIANTS`` (accepted spellings per section).
- ``empty_document(unit, year, fmt, scope, *, unit_code=None, fill=0) -> dict`` — canonical JSON skeleton
  with every row/column of the format (``fill`` = value of every cell, 0 for computed, None for parsed).
- ``publication_deadline(year, org_kind) -> date`` — deadline for the report on ``year`` by kind alone
  (条例第四十九条 or the configured local rule; see ``gongkai.orgs.report_deadlines``).
- ``CellRef(table, row, column)`` with ``.key`` = ``"table3:<row key>:<column>"`` (used in findings) and
  ``CellRef.parse(key)``; ``cell_value(doc, ref)``, ``cell_slot(doc, ref)`` (where a cell lives; typed
  access: ``gongkai.reports.document.ReportDocument``); row-key constants ``RECEIVED``, ``CARRIED_IN``,
  ``RESULTS_TOTAL``, ``CARRIED_OUT``, ``OTHER_2019``; ``OUTCOME_CODES`` (the 21 leaf codes);
  ``TABLE3_COLUMNS``, ``TABLE4_GROUPS``, ``TABLE4_COLUMNS``.
"""

from __future__ import annotations

from .formats import (
    CATALOGUE_COLUMNS,
    CATALOGUE_ITEM,
    CATALOGUE_ROWS,
    FORMATS,
    TABLE2_2019,
    TABLE2_2021,
    TABLE4,
    ReportFormat,
    RowKind,
    SumRule,
    Table2Block,
    Table2Column,
    Table2Layout,
    Table3Row,
    Table4Layout,
    ValueKind,
    format_for_year,
)
from .labels import (
    APPLICANT_COLUMNS,
    CARRIED_IN,
    CARRIED_OUT,
    DISCLOSED,
    FORMAT_CODES,
    FORMAT_LABELS,
    OTHER_2019,
    OTHER_GROUP,
    OUTCOME_CODES,
    OUTCOME_LEAF_GROUPS,
    PARTIAL,
    PRE2019,
    RECEIVED,
    REMEDY_GROUPS,
    REMEDY_RESULT_COLUMNS,
    RESULTS,
    RESULTS_TOTAL,
    RESULTS_TOTAL_LABEL,
    SCHEMA,
    SCOPES,
    SECTION_HEADING_VARIANTS,
    SECTION_HEADINGS,
    SECTION_NUMBERS,
    SUIT_GROUP,
    TABLE3_COLUMNS,
    TABLE3_HEADER,
    TABLE3_IDENTITY_NOTE,
    TABLE3_PARTY_COLUMNS,
    TABLE3_TOTAL_COLUMN,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    TABLE4_TOTAL_COLUMN,
    Cell,
    CellRef,
    format_label,
)
from .skeleton import cell_slot, cell_value, empty_document, publication_deadline

__all__ = [
    "APPLICANT_COLUMNS",
    "CARRIED_IN",
    "CARRIED_OUT",
    "CATALOGUE_COLUMNS",
    "CATALOGUE_ITEM",
    "CATALOGUE_ROWS",
    "DISCLOSED",
    "FORMATS",
    "FORMAT_CODES",
    "FORMAT_LABELS",
    "OTHER_2019",
    "OTHER_GROUP",
    "OUTCOME_CODES",
    "OUTCOME_LEAF_GROUPS",
    "PARTIAL",
    "PRE2019",
    "RECEIVED",
    "REMEDY_GROUPS",
    "REMEDY_RESULT_COLUMNS",
    "RESULTS",
    "RESULTS_TOTAL",
    "RESULTS_TOTAL_LABEL",
    "SCHEMA",
    "SCOPES",
    "SECTION_HEADINGS",
    "SECTION_HEADING_VARIANTS",
    "SECTION_NUMBERS",
    "SUIT_GROUP",
    "TABLE2_2019",
    "TABLE2_2021",
    "TABLE3_COLUMNS",
    "TABLE3_HEADER",
    "TABLE3_IDENTITY_NOTE",
    "TABLE3_PARTY_COLUMNS",
    "TABLE3_TOTAL_COLUMN",
    "TABLE4",
    "TABLE4_COLUMNS",
    "TABLE4_GROUPS",
    "TABLE4_TOTAL_COLUMN",
    "Cell",
    "CellRef",
    "ReportFormat",
    "RowKind",
    "SumRule",
    "Table2Block",
    "Table2Column",
    "Table2Layout",
    "Table3Row",
    "Table4Layout",
    "ValueKind",
    "cell_slot",
    "cell_value",
    "empty_document",
    "format_for_year",
    "format_label",
    "publication_deadline",
]
