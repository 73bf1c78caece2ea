"""Variants of development-half reports made by real print and conversion tools (fixtures/variants/README.md):
the 表三 their label gives is read back."""

from __future__ import annotations

import json
from pathlib import Path

from gongkai.reports.importing.pipeline import import_path

HERE = Path(__file__).parent / "fixtures" / "variants"
LABELS = Path(__file__).resolve().parents[4] / "bench" / "corpus" / "labels"


def test_group_labels_in_the_cell_of_their_first_row_are_cut_at_the_row_number():
    # given r801 printed by WeasyPrint and converted by markitdown: the merged group label shares a cell with its
    # first row's label ("| （三） 1.属于国家秘密 | 0 |  | 0 |"), rows printed without their blank cells, the
    # table continued over a page with its header repeated
    [doc] = import_path(HERE / "r801_weasyprint_paged_markitdown.md")
    label = json.loads((LABELS / "r801.json").read_text(encoding="utf-8"))
    # then every row of 表三 is read as labelled, but one left empty and named (（四）1., whose figures the page
    # break set apart from its label) — no figure is wrong
    assert set(label["table3"]["rows"]) <= set(doc["table3"]["rows"])
    wrong = {k: v for k, v in doc["table3"]["rows"].items() if label["table3"]["rows"].get(k, v) != v}
    unread = "三、本年度办理结果/（四）无法提供/1.本机关不掌握相关政府信息"
    assert set(wrong) <= {unread}
    assert all(v is None for values in wrong.values() for v in values)
    named = {c for f in doc["findings"] if f["severity"] == "warning" for c in f["cells"]}
    assert not wrong or f"table3:{unread}" in named


def test_dashes_of_empty_header_tables_before_the_first_row_are_no_row():
    # given r704 printed and read back as text: 表三's header printed as small tables of dashes ("申请人情况 (自然人)"
    # / "(数据项目) 数量" / "- -") before the first row, each row under placeholder column names
    [doc] = import_path(HERE / "r704_weasyprint_paged_pypdfium2.txt")
    label = json.loads((LABELS / "r704.json").read_text(encoding="utf-8"))
    # then the dashes are no row (taken as the first row, they pushed every row one down): 表三 is read as labelled
    assert doc["table3"]["rows"] == label["table3"]["rows"]
    assert [f["code"] for f in doc["findings"] if f["severity"] == "error"] == []
