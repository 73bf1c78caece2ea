"""Line breaks recovered at the format's headings and labels (issue 16: text whose line breaks were lost)."""

from __future__ import annotations

from gongkai.reports.importing.breaks import recover_breaks
from gongkai.reports.importing.extract import extract

HEAD = "三、收到和处理政府信息公开申请情况申请人情况自然人总计"


def test_breaks_recovered_at_headings_and_labels() -> None:
    line = "二、主动公开政府信息情况第二十条第（一）项信息内容本年新制作数量规章000规范性文件222" + "x" * 120
    assert recover_breaks([line], "2019") == [
        "二、主动公开政府信息情况",
        "第二十条第（一）项",
        "信息内容本年新制作数量",
        "规章000",
        "规范性文件222",
        "x" * 120,
    ]


def test_numbered_label_keeps_the_digits_of_the_row_above_and_slips_still_cut() -> None:
    text = HEAD + "（三）不予公开1.属于国家秘密00000012.其他法律和行政法规禁止公开0000000" + "。" * 160
    lines = recover_breaks([text], "2019")
    assert "1.属于国家秘密0000001" in lines
    # "和" is a slip: the label is found by its number
    assert any(line.startswith("2.其他法律和行政法规禁止公开0000000") for line in lines)


def test_stray_word_after_figures_does_not_swallow_the_row() -> None:
    text = (
        HEAD
        + "一、本年新收政府信息公开申请数量1000001二、上年结转政府信息公开申请数量0000000三三、本年度办理结果"
        + "。" * 160
    )
    lines = recover_breaks([text], "2019")
    assert "二、上年结转政府信息公开申请数量0000000" in lines


def test_short_lines_and_cell_rows_untouched() -> None:
    lines = ["一、本年新收政府信息公开申请数量 | 1 | 0 |", "二、主动公开政府信息情况"]
    assert recover_breaks(lines, "2019") == lines
    assert recover_breaks(["x" * 300], "pre2019") == ["x" * 300]


def test_one_line_report_read_through_the_line_path() -> None:
    rows = "".join(
        [
            "一、本年新收政府信息公开申请数量713000074",
            "二、上年结转政府信息公开申请数量1000001",
        ]
    )
    got = extract([HEAD + rows + "四、结转下年度继续办理0000000" + "。" * 160], "2019")
    assert got.table3 is not None
    assert got.table3["rows"]["一、本年新收政府信息公开申请数量"] == [71, 3, 0, 0, 0, 0, 74]
    assert got.table3["rows"]["二、上年结转政府信息公开申请数量"] == [1, 0, 0, 0, 0, 0, 1]


def test_a_heading_cut_by_a_line_wrap_after_its_numeral_is_put_back_together() -> None:
    # given running text from a printed PDF (pypdf on a LibreOffice print) wrapped so that 五's numeral ends one line
    # and its title starts the next
    lines = [
        "他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计000000000000000 五、",
        "存在的主要问题及改进情况（一）存在问题。一是政务公开范围覆盖不够，内容公开未常",
        "态化。",
        "六、其他需要报告的事项",
    ]
    got = recover_breaks(lines, "2021")
    # then the heading stands on a line of its own, whole, and 五 is found with its text
    assert "五、存在的主要问题及改进情况" in got
    assert not any(line.endswith("五、") for line in got)
    assert extract(lines, "2021").sections["五"].startswith("（一）存在问题。")


def test_a_numeral_at_a_lines_end_before_other_words_stays() -> None:
    # given a line ending with a list numeral ("…三、") whose next line starts with no part's title
    lines = ["一是加强领导，二是完善制度，三、", "强化考核。"]
    # then nothing moves
    assert recover_breaks(lines, "2021") == lines
