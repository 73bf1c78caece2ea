"""表三 rows the grid aligner places by a label that may be another row's (issue #16, printed pages read back by
pypdfium2 and pdfminer): such a row is named by a warning, never silently right or wrong."""

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
