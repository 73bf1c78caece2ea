"""Sections (issue 16): parts found by their titles whatever their numbers, empty is not missing."""

from __future__ import annotations

from gongkai.reports.importing.breaks import recover_breaks
from gongkai.reports.importing.extract import extract
from gongkai.reports.importing.pipeline import import_bytes

from . import shapes, synth


def _codes(doc: dict, severity: str | None = None) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for f in doc["findings"]:
        if severity is None or f["severity"] == severity:
            out.setdefault(f["code"], []).append(f)
    return out


def test_parts_in_the_units_own_numbering_are_a_warning_not_missing():
    # given a report whose 五 is split into two headings and whose 六 is printed as 七, with own wordings
    text = "\n".join(
        [
            "某局2022年政府信息公开工作年度报告",
            "一、年度工作核心成效",
            "（一）主动公开多点发力。全年主动公开信息55条，工作考核、社会评议和责任追究均已落实。",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议与行政诉讼情况",
            "五、当前存在的突出问题",
            "信息公开的时效性有待提升。",
            "六、下一步改进举措",
            "优化信息更新机制。",
            "七、其他需说明事项",
            "全年未收取信息处理费。",
        ]
    )
    got = extract(text.split("\n"), "2021")
    # then every part is found by its title, 五 holds both headings' text
    assert set(got.sections) == {"一", "二", "三", "四", "五", "六"}
    assert got.sections["五"] == "信息公开的时效性有待提升。\n优化信息更新机制。"
    assert got.sections["六"] == "全年未收取信息处理费。"
    # and one warning names the parts printed under other numbers, in Chinese
    [note] = [f for f in got.findings if f.code == "import_section_numbering"]
    assert note.severity == "warning"
    assert set(note.cells) == {"sections:五", "sections:六"}
    assert "“七、其他需说明事项”" in note.message and "sections" not in note.message


def test_swapped_parts_are_placed_by_title():
    # given 信息处理费 printed as 五 and the problems as 六 (r610's layout), one line of scraped text
    line = (
        "一、总体情况本局认真落实工作考核、社会评议和责任追究。二、主动公开政府信息情况无三、收到和处理政府信息公开申请情况"
        "无四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计000000000000000"
        "五、信息处理费收取情况通知收取件数通知收取金额（元）实际收取金额（元）信息处理费收取情况000"
        "六、存在的主要问题和改进情况（一）存在的主要问题：公开不及时。（二）改进措施：加强培训。"
    )
    lines = recover_breaks([line], "2021")
    assert "五、信息处理费收取情况" in lines and "六、存在的主要问题和改进情况" in lines
    got = extract([line], "2021")
    assert got.sections["六"].startswith("通知收取件数")
    assert got.sections["五"].startswith("（一）存在的主要问题")
    assert got.table4 is not None and got.table4["行政复议"]["总计"] == 0


def test_a_problems_part_whose_heading_was_dropped_opens_at_its_first_sub_heading():
    # given a consistent report whose 五 heading a converter dropped (r706): its text starts with 「（一）…改进情况」
    doc = shapes.consistent_document(3, "2021")
    text = synth.to_text(doc, "pipe").replace(
        "五、存在的主要问题及改进情况\n存在问题。\n",
        "（一）2024 年工作中存在问题的改进情况\n加强培训。\n（二）2025 年工作中存在的主要问题\n公开不及时。\n",
    )
    [got] = import_bytes(text.encode(), "report.txt")
    codes = _codes(got)
    # then 五 holds that text (四 ends before it), a warning says the heading was not printed, nothing is missing
    assert got["sections"]["五"].startswith("（一）2024 年工作中存在问题的改进情况\n加强培训。")
    assert "公开不及时" in got["sections"]["五"]
    assert "改进情况" not in got["sections"]["四"]
    assert "section_missing" not in codes
    [note] = codes["import_section_numbering"]
    assert (
        note["severity"] == "warning" and "未印标题" in note["message"] and note["cells"] == ["sections:五"]
    )
    assert got["table4"] == doc["table4"]


def test_a_dropped_problems_heading_is_found_with_its_paragraph_run_on_after_tables_without_headings():
    # given the same report as text taken from a PDF (r706 through Chromium): 四's heading lost too, and the
    # sub-heading of 五 joined to its first sentence on one line
    doc = shapes.consistent_document(3, "2021")
    text = (
        synth.to_text(doc, "pipe")
        .replace("四、政府信息公开行政复议、行政诉讼情况\n", "")
        .replace(
            "五、存在的主要问题及改进情况\n存在问题。\n",
            "（一）2024 年工作中存在问题的改进情况 针对 2024 年工作中存在的主要问题，加强培训。\n",
        )
    )
    [got] = import_bytes(text.encode(), "report.txt")
    codes = _codes(got)
    # then 五 is found at that line (named as printed without its heading), not reported missing
    assert "section_missing" not in codes
    [note] = codes["import_section_numbering"]
    assert "已从“2024 年工作中存在问题的改进情况”起识别" in note["message"]
    assert "加强培训" not in got["sections"].get("三", "")


def test_a_dropped_problems_heading_is_found_after_the_tables_when_no_table_part_has_a_heading_line():
    # given the same report where 二, 三 and 四's headings each run on into their tables' words on one line
    # (pymupdf4llm on r706's prints: "四、政府信息公开行政复议、行政诉讼情况 行政复议行政诉讼 未经复议直接起诉 …"),
    # so that no table part is placed, and 五's heading dropped
    doc = shapes.consistent_document(3, "2021")
    text = synth.to_text(doc, "pipe")
    for heading in (
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ):
        text = text.replace(f"{heading}\n", f"{heading} ")
    text = text.replace(
        "五、存在的主要问题及改进情况\n存在问题。\n",
        "（一）2024 年工作中存在问题的改进情况 针对 2024 年工作中存在的主要问题，加强培训。\n",
    )
    [got] = import_bytes(text.encode(), "report.txt")
    codes = _codes(got)
    # then 五 is found at that line after the tables, named as printed without its heading, not missing
    assert "section_missing" not in codes
    [note] = codes["import_section_numbering"]
    assert "已从“2024 年工作中存在问题的改进情况”起识别" in note["message"]
    assert "加强培训" in got["sections"]["五"] and "加强培训" not in got["sections"].get("四", "")


def test_a_heading_with_nothing_under_it_is_empty_not_missing():
    # given a consistent report whose 六 heading has no text under it, and no 五 at all
    doc = shapes.consistent_document(3, "2021")
    doc["sections"]["六"] = ""
    text = synth.to_text(doc, "pipe").replace("五、存在的主要问题及改进情况\n存在问题。\n", "")
    text = text.replace("六、其他需要报告的事项\n无。", "六、其他需要报告的事项")
    [got] = import_bytes(text.encode(), "report.txt")
    codes = _codes(got)
    # then 六 is a warning that it is empty, 五 an error that it is missing
    assert [f["cells"] for f in codes["section_empty"]] == [["sections:六"]]
    assert codes["section_empty"][0]["severity"] == "warning"
    assert "六、其他需要报告的事项" in codes["section_empty"][0]["message"]
    assert [f["cells"] for f in codes["section_missing"]] == [["sections:五"]]


def test_a_heading_without_its_comma_and_a_sub_list_inside_a_part():
    # given "一总体情况" (the comma lost) and a numbered list inside 五
    text = [
        "一总体情况",
        "本局认真落实工作考核、社会评议和责任追究。",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "一、优化主动公开目录",
        "二、增强政策解读效果",
        "六、其他需要报告的事项",
        "无。",
    ]
    got = extract(text, "2021")
    assert got.sections["一"] == "本局认真落实工作考核、社会评议和责任追究。"
    assert got.sections["五"] == "一、优化主动公开目录\n二、增强政策解读效果"
    assert not [f for f in got.findings if f.code == "import_section_numbering"]


def test_the_publication_date_is_the_pages_own_or_the_signature_never_a_crawl_time():
    import datetime as dt

    from gongkai.reports.importing.pipeline import published_on

    header = [
        "标题: 某局2022年政府信息公开工作年度报告",
        "抓取时间: 2026-12-01 10:00",
        "发布时间: 2023-01-20 09:00",
    ]
    assert published_on([*header, "正文……", "某局 2023年1月18日"], 2022) == dt.date(2023, 1, 20)
    # without the page's date: the date the report is signed with at its end (one-line text too)
    assert published_on(
        ["抓取时间: 2026-12-01", "……六、其他需要报告的事项无。某局 2023年2月3日"], 2022
    ) == dt.date(2023, 2, 3)
    # a crawl time alone, or a date inside the text, is no publication date
    assert published_on(["下载日期：2026-12-01", "2023年1月1日起施行的办法……", "结束。"], 2022) is None


def test_a_stray_vertical_stroke_does_not_stop_a_one_line_report_being_cut():
    # given a report on one line whose OCR read a stroke as "|" somewhere in its text
    line = (
        "一、总体情况本局落实工作考核、社会评议和责任追究机制|，与宣传部门加强联系。二、主动公开政府信息情况"
        "三、收到和处理政府信息公开申请情况申请人情况自然人总计一、本年新收政府信息公开申请数量1000001"
        "二、上年结转政府信息公开申请数量0000000四、政府信息公开行政复议、行政诉讼情况五、存在的主要问题及改进情况无"
        "六、其他需要报告的事项无"
    )
    lines = recover_breaks([line], "2019")
    assert "二、主动公开政府信息情况" in lines
    assert "一、本年新收政府信息公开申请数量1000001" in lines
