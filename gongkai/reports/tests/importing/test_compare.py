"""Comparing a unit's years: carry-over between consecutive reports, key figures side by side."""

from __future__ import annotations

from gongkai.reports import definitions as defs
from gongkai.reports.importing.batch import run_batch
from gongkai.reports.importing.compare import by_unit, compare_unit

from . import synth


def test_consecutive_years_are_checked_for_carry_over(tmp_path, luojiang):
    # given 洛江区 2020 (carried out: 0) and a 2021 report claiming 2 carried in for 自然人
    doc2021 = defs.empty_document("洛江区", 2021, "2021", "unknown", fill=0)
    doc2021["table3"]["rows"][defs.CARRIED_IN] = [2, 0, 0, 0, 0, 0, 2]
    doc2021["table3"]["rows"][defs.RECEIVED] = [0] * 7
    doc2021["table3"]["rows"][defs.RESULTS_TOTAL] = [2, 0, 0, 0, 0, 0, 2]
    doc2021["table3"]["rows"]["三、本年度办理结果/（一）予以公开"] = [2, 0, 0, 0, 0, 0, 2]
    doc2021["sections"] = {"一": "x", "五": "y", "六": "无。"}
    (tmp_path / "2020.html").write_bytes(synth.to_html(luojiang))
    (tmp_path / "2021.html").write_bytes(synth.to_html(doc2021))
    # when both are imported in one batch
    docs = run_batch([tmp_path])
    # then the 2021 report carries a carry-over finding naming both cells
    mismatches = [f for d in docs for f in d["findings"] if f["code"] == "carry_over_mismatch"]
    assert [f["cells"] for f in mismatches] == [
        [f"table3:{defs.CARRIED_IN}:{column}", f"previous:table3:{defs.CARRIED_OUT}:{column}"]
        for column in ("自然人", "总计")
    ]
    group = by_unit(docs)["洛江区人民政府"]
    summary = compare_unit(group)
    assert summary["years"] == [2020, 2021]
    assert summary["rows"][0] == {"label": "本年新收申请", "values": [9, 0]}
    assert summary["findings"][2021] == mismatches


def test_cli_text_shows_the_years_side_by_side(tmp_path, luojiang):
    import io

    from django.core.management import call_command

    later = defs.empty_document("洛江区", 2021, "2021", "unknown", fill=0)
    later["sections"] = {"一": "x", "五": "y", "六": "无。"}
    (tmp_path / "2020.html").write_bytes(synth.to_html(luojiang))
    (tmp_path / "2021.html").write_bytes(synth.to_html(later))
    out = io.StringIO()
    call_command("report_check", str(tmp_path), "--no-progress", stdout=out)
    text = out.getvalue()
    assert "◆ 洛江区人民政府 跨年度比对" in text
    assert "本年新收申请" in text and "2020" in text and "2021" in text
