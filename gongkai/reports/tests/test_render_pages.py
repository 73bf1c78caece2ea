"""The annual report on paper (issue 18, defect 5): 表三's header repeats on every page, no row splits across
pages, the title breaks only between its parts, drafts carry 「草稿」, downloads carry the report's title."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from urllib.parse import unquote

import pytest

from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import staff
from gongkai.reports.render import pdf_layout, render_docx, render_html, render_pdf, title_parts
from gongkai.reports.tests.factories import ReportFactory
from gongkai.reports.tests.test_views import publish

SEED_001 = json.loads((Path(__file__).parent / "fixtures" / "seed_001.json").read_text())


def _long_doc():
    """Seed 001 with sections long enough that 表三 starts low on a page and has to run onto the next."""
    doc = copy.deepcopy(SEED_001)
    filler = "本年度，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，完善制度，规范流程。" * 6
    doc["sections"] = {n: "\n".join([filler] * 2) for n in "一二三四五六"}
    return doc


def _rows_by_page(layout, table_class):
    """For each page, the (row element, in thead?) of the table with ``table_class`` laid out on it."""
    from weasyprint.formatting_structure import boxes

    def walk(box, found, in_table=False, header=False):
        if isinstance(box, boxes.TableBox):
            in_table = table_class in (box.element.get("class") or "").split()
        if isinstance(box, boxes.TableRowGroupBox):
            header = box.is_header
        if in_table and isinstance(box, boxes.TableRowBox):
            found.append((box.element, header))
        for child in getattr(box, "children", ()):
            walk(child, found, in_table, header)
        return found

    # the laid-out box tree of each page (WeasyPrint keeps it on the page)
    return [walk(page._page_box, []) for page in layout.pages]


def test_table3_runs_over_pages_with_its_header_repeated_and_no_row_split():
    # given a report whose 表三 cannot fit on the page it starts on
    layout = pdf_layout(_long_doc(), monthly=[1] * 12)
    pages = [p for p in _rows_by_page(layout, "report-table3") if p]
    # then 表三 is on more than one page
    assert len(pages) >= 2
    head = [element for element, header in pages[0] if header]
    assert len(head) == 3  # the three header rows of the 2019/2021 formats
    seen = {}
    for number, rows in enumerate(pages):
        # and each page carries the same three header rows above its body rows
        assert [element for element, header in rows if header] == head
        for element, header in rows:
            if not header:
                # and no body row is laid out on two pages (it would be cut in two)
                assert id(element) not in seen, f"第{number + 1}页与第{seen[id(element)] + 1}页拆开了同一行"
                seen[id(element)] = number
    assert len(seen) == 23  # every body row of seed 001's 表三 is somewhere, once


def test_table2_blocks_are_row_groups_and_no_row_splits():
    # given 表二 (a run of blocks, each with its heading rows): each block is one row group (kept on one page)
    html = render_html(SEED_001, standalone=False)
    table2 = html.split('report-table2">', 1)[1].split("</table>", 1)[0]
    assert "<thead>" not in table2 and table2.count("<tbody>") == 5
    # and laid out, no row is on two pages
    pages_of = {}
    for number, rows in enumerate(_rows_by_page(pdf_layout(_long_doc()), "report-table2")):
        for element, _ in rows:
            pages_of.setdefault(id(element), set()).add(number)
    assert pages_of and all(len(p) == 1 for p in pages_of.values())


@pytest.mark.parametrize(
    ("title", "org", "rest"),
    [
        ("青山县人民政府2025年政府信息公开工作年度报告", "青山县人民政府", ("2025年", "政府信息公开", "工作年度报告")),
        ("江川市青山县人民政府办公室2026年政府信息公开工作年度报告", "江川市青山县人民政府办公室",
         ("2026年", "政府信息公开", "工作年度报告")),
        ("某某年度情况", "", ("某某年度情况",)),
    ],
)  # fmt: skip
def test_title_parts(title, org, rest):
    assert title_parts(title) == (org, rest)
    assert org + "".join(rest) == title


def test_pdf_title_breaks_before_the_year_not_inside_a_word():
    import pdfplumber

    with pdfplumber.open(io.BytesIO(render_pdf(SEED_001))) as pdf:
        lines = pdf.pages[0].extract_text().splitlines()
    assert lines[:2] == ["洛江区人民政府", "2020年政府信息公开工作年度报告"]


def test_draft_pdf_is_marked_on_every_page_and_a_published_one_is_not():
    import pdfplumber

    def marks(pdf_bytes):
        """Per page, the large (watermark) characters."""
        with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
            return [
                ("".join(c["text"] for c in page.chars if c["size"] > 40), page.extract_text())
                for page in pdf.pages
            ]

    pages = marks(render_pdf(_long_doc(), draft=True))
    assert len(pages) >= 3 and all(big == "草稿" for big, _ in pages)
    assert "本版本为草稿，尚未发布。" in pages[0][1]
    assert not any(big or "草稿" in text for big, text in marks(render_pdf(_long_doc())))


def test_draft_docx_and_html_are_marked():
    from docx import Document

    assert Document(io.BytesIO(render_docx(SEED_001, draft=True))).paragraphs[0].text == "【草稿】"
    assert Document(io.BytesIO(render_docx(SEED_001))).paragraphs[0].text != "【草稿】"
    assert 'class="draft-mark"' in render_html(SEED_001, draft=True)
    assert "draft-mark" not in render_html(SEED_001).split("<body>", 1)[1]


def _filename(response):
    header = response["Content-Disposition"]
    return unquote(header.split("filename*=UTF-8''", 1)[1])


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["pdf", "docx", "xlsx", "html"])
def test_downloads_are_named_after_the_report(client, org_tree, kind):
    org = org_tree["own"]
    # given a published report and a draft of the next year
    published = publish(org, 2022)
    draft = ReportFactory(org=org, year=2023)
    client.force_login(staff(Role.CLERK, org))
    # then the staff download of each is named after its title, the draft with 「（草稿）」
    response = client.get(f"/admin/reports/{published.pk}/download.{kind}")
    assert _filename(response) == f"测试县人民政府2022年政府信息公开工作年度报告.{kind}"
    assert response["Content-Disposition"].startswith("inline;" if kind == "pdf" else "attachment;")
    response = client.get(f"/admin/reports/{draft.pk}/download.{kind}")
    assert _filename(response) == f"测试县人民政府2023年政府信息公开工作年度报告（草稿）.{kind}"
    # and the public download of the published one too
    client.logout()
    response = client.get(f"/gk/{org.code}/nianbao/2022/report.{kind}")
    assert _filename(response) == f"测试县人民政府2022年政府信息公开工作年度报告.{kind}"


def _xlsx_marks(content: bytes) -> list[tuple[str, str, str]]:
    """(sheet, title cell, header + footer text) of every sheet of a downloaded workbook."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    return [
        (ws.title, ws["A1"].value or "", f"{ws.oddHeader.center.text or ''}|{ws.oddFooter.center.text or ''}")
        for ws in book.worksheets
    ]


@pytest.mark.django_db
def test_draft_xlsx_is_marked_inside_the_workbook(client, org_tree):
    org = org_tree["own"]
    # given a published report and a draft of the next year
    published = publish(org, 2022)
    draft = ReportFactory(org=org, year=2023)
    client.force_login(staff(Role.CLERK, org))
    # when the draft's workbook is downloaded, every sheet's title cell, printed header and footer say 草稿
    marks = _xlsx_marks(client.get(f"/admin/reports/{draft.pk}/download.xlsx").content)
    assert [sheet for sheet, _, _ in marks] == ["表二", "表三", "表四"]
    for sheet, title, header_footer in marks:
        assert title == f"【草稿】测试县人民政府2023年政府信息公开工作年度报告（{sheet}）"
        assert header_footer.startswith("草稿|草稿")
    # and the published one's carry the title without any mark
    for sheet, title, header_footer in _xlsx_marks(
        client.get(f"/admin/reports/{published.pk}/download.xlsx").content
    ):
        assert title == f"测试县人民政府2022年政府信息公开工作年度报告（{sheet}）"
        assert "草稿" not in title + header_footer
