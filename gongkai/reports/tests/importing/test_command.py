"""`gongkai report_check FILE... [--json]`: one JSON object per report, readable Chinese otherwise."""

from __future__ import annotations

import io
import json

from django.core.management import call_command
from openpyxl import load_workbook

from .conftest import SEEDS, seed


def _run(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("report_check", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_json_prints_an_array_with_one_object_per_report():
    # given seed 004 (two reports) and seed 001
    out = _run(str(seed("004")), str(seed("001")), "--json", "--no-progress")
    docs = json.loads(out)
    # then three objects, each with its source and findings
    assert len(docs) == 3
    assert [d["source"]["file"] for d in docs] == [str(seed("004"))] * 2 + [str(seed("001"))]
    assert all(isinstance(d["findings"], list) and "offset" in d["source"] for d in docs)
    assert docs[2]["table3"]["rows"]["一、本年新收政府信息公开申请数量"] == [7, 0, 0, 0, 0, 2, 9]


def test_readable_chinese_without_json():
    out = _run(str(seed("000")), "--no-progress")
    assert "单位：阳新县人民政府" in out and "年度：2020" in out
    assert "[错误] 缺少表三。" in out


def test_folder_with_progress_bar_and_summaries(tmp_path):
    html, xlsx = tmp_path / "s.html", tmp_path / "s.xlsx"
    err = io.StringIO()
    call_command(
        "report_check", str(SEEDS), "--json", "--summary-html", str(html), "--summary-xlsx", str(xlsx),
        stdout=io.StringIO(), stderr=err,
    )  # fmt: skip
    assert "5/5" in err.getvalue()
    assert "年度报告检查汇总（6 份）" in html.read_text(encoding="utf-8")
    sheet = load_workbook(xlsx)["汇总"]
    assert [c.value for c in sheet[1]][:4] == ["文件", "部分", "单位", "年度"]
    assert sheet.max_row == 7


def test_unreadable_file_does_not_stop_the_run(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    docs = json.loads(_run(str(bad), str(seed("003")), "--json", "--no-progress"))
    assert docs[0]["error"].startswith("PDF")
    assert docs[1]["kind"] == "not_a_report"
