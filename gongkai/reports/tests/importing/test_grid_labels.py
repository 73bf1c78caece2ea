"""表三 rows the grid aligner places by a label that may be another row's (issue #16, printed pages read back by
pypdfium2 and pdfminer): such a row is named by a warning, never silently right or wrong; and a row printed with an
empty 总计 cell, which takes no total from a block after the table."""

from __future__ import annotations

from gongkai.reports import definitions as defs
from gongkai.reports.importing.extract import extract

SPEC = defs.FORMATS["2021"]
IDENTITY = "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"
# a placeholder header printed one word a line ("类别 数据" / "1" / "数据" / "2" … "总" / "计")
TALL = ["类别 数据", *[x for n in range(1, 7) for x in (str(n), "数据")][:-1], "总", "计"]


def _warned(findings: list, key: str) -> bool:
    return any(f.severity == "warning" and f"table3:{key}" in f.cells for f in findings)


def test_a_run_taken_by_the_label_after_it_while_its_own_label_names_another_row_is_named():
    # given a print whose header cells hold dashes ("数量 - -") and whose rows print a placeholder header, then
    # their label without its number, then the figures: the dashes take 一 by the label after them, and each run
    # after them the next row's ("本年新收…" / 30 1 0 0 2 0 33 / "二、上年结转…")
    lines = [
        "三、收到和处理政府信息公开申请情况",
        IDENTITY,
        "申请人情况 (自然人)",
        "(数据项目) 数量",
        "- -",
        "申请人情况 (法人或其他组织)",
        "商业企业 科研机构 社会公益 法律服务机构 其他- - - - -",
        "申请人情况 (总计)",
        "(数据项目) 数量",
        "- -",
        "一、本年新收政府信息公开申请数量",
        *TALL,
        "本年新收政府信息公",
        "开申请数量 30 1 0 0 2 0 33",
        "二、上年结转政府信息公开申请数量",
        *TALL,
        "上年结转政府信息公开",
        "申请数量 4 0 0 0 0 0 4",
        "三、本年度办理结果",
        "(一) 予以公开",
        "类别 数据1 数据2 数据3 数据4 数据5 数据6 总计予以公开 20 1 0 0 2 0 23",
        *(f"{row.label_cells[-1].text} 1 0 0 0 0 0 1" for row in SPEC.table3_rows[3:]),
    ]
    got = extract(lines, "2021")
    assert got.table3 is not None
    carried = got.table3["rows"][defs.CARRIED_IN]
    # then 二 holds 一's figures only with a warning: the figures' own label reads as 一, not as 二
    assert carried == [4, 0, 0, 0, 0, 0, 4] or _warned(got.findings, defs.CARRIED_IN)


def test_a_run_after_two_row_labels_one_without_figures_is_named():
    # given a page whose figures a text layer read out of order (pdfminer around a page footer): "2.重复申请" and
    # "3.要求提供公开出版物" printed one after the other, then one run of seven zeros — the two rows' figures and
    # more; each row of the table has one applicant figure and its 总计, the other cells blank
    results = f"{defs.RESULTS}/（五）不予处理"
    repeat, publications = f"{results}/2.重复申请", f"{results}/3.要求提供公开出版物"
    lines = ["三、收到和处理政府信息公开申请情况"]
    lines.append("申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |")
    for row in SPEC.table3_rows:
        label = row.label_cells[-1].text
        if row.key == repeat:
            lines.append(label)
        elif row.key == publications:
            lines += [label, *["0"] * 7]
        else:
            lines += [label, "0", "0"]
    got = extract(lines, "2021")
    assert got.table3 is not None
    read = got.table3["rows"][publications]
    # then the row read as a whole row of zeros (its blanks become 0) is named: the run may be both rows'
    assert read == [0, None, None, None, None, None, 0] or _warned(got.findings, publications)


def test_a_row_printed_with_an_empty_total_cell_takes_no_total_from_a_later_block():
    # given a Markdown table (PyMuPDF on a paged print) whose rows （一）/（二） print their 总计 cell empty
    # ("…|0|0||"), labels cut over cells, and after the table 表四's header ending in "总计" and its zeros — the
    # shape of a 总计 column printed apart, but no row lacks a cell
    lines = [
        "三、收到和处理政府信息公开申请情况",
        "|申请人情况|自然人|商业企业|科研机构|社会公益组织|法律服务机构|其他|总计|",
        "|---|---|---|---|---|---|---|---|",
        "|一、 申请|本年新收政 数量|府信息公开|0|0|0|0|0|0|0|",
        "|二、 申请|上年结转政 数量|府信息公开|0|0|0|0|0|0|0|",
        "|三、 |（一）予|以公开|0|0|0|0|0|0||",
        "|本 年 度 |（二）部 处理的， 形，不计|分公开（区分 只计这一情 其他情形）|0|0|0|0|0|0||",
        "|办 理 结|（三） 不予公|1.属于国家 秘密|0|0|0|0|0|0|0|",
        "|果|开|2.其他法律 行政法规禁 止公开|0|0|0|0|0|0|0|",
        "|3.其他|0|0|0|0|0|0|0|",
        "|（七）总计|0|0|0|0|0|0|0|",
        "|四、结转下年度继续办理|0|0|0|0|0|0|0|",
        "四、政府信息公开行政复议、行政诉讼情况",
        "|" + "|".join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3) + "|",
        "|0" * 15 + "|",
    ]
    got = extract(lines, "2021")
    assert got.table3 is not None
    granted = got.table3["rows"][f"{defs.RESULTS}/（一）予以公开"]
    # then the empty 总计 stays empty (the report's own blank, for the checks to name), not a 0 from 表四
    assert granted == [0, 0, 0, 0, 0, 0, None]
