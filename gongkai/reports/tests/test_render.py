"""Tests for rendering: official table structure in HTML/DOCX/XLSX, and a PDF whose Chinese text is real."""

import copy
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from gongkai.reports import definitions as d
from gongkai.reports.render import positions, render_docx, render_html, render_pdf, table3_grid
from gongkai.reports.render_xlsx import render_xlsx

SEED_001 = json.loads((Path(__file__).parent / "fixtures" / "seed_001.json").read_text())


class Tables(HTMLParser):
    """Collects each table as rows of (tag, text, colspan, rowspan)."""

    def __init__(self):
        super().__init__()
        self.tables, self.classes, self.cell = [], [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.tables.append([])
            self.classes.append(a.get("class") or "")
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = [tag, "", int(a.get("colspan", 1)), int(a.get("rowspan", 1))]

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[1] += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell:
            self.tables[-1][-1].append(tuple(self.cell))
            self.cell = None


def doc_2021():
    doc = d.empty_document("某县人民政府", 2022, "2021", "self")
    doc["table3"]["rows"][d.RECEIVED] = [1, 0, 0, 0, 0, 0, 1]
    return doc


def parsed_tables(doc):
    """表二, 表三 and 表四 (each chart's data table left out)."""
    parser = Tables()
    parser.feed(render_html(doc))
    return [t for t, css in zip(parser.tables, parser.classes, strict=True) if "report-table" in css.split()
            and "chart-table" not in css.split()]  # fmt: skip


@pytest.mark.parametrize(("doc", "rows", "results_rowspan"), [(SEED_001, 23, 20), (doc_2021(), 25, 22)])
def test_html_table3_has_the_official_rows_columns_and_merges(doc, rows, results_rowspan):
    _, table3, _ = parsed_tables(doc)
    header, body = table3[:3], table3[3:]
    # header: identity note 3×3 (a note, not a header), 申请人情况 over 7, 法人或其他组织 over 5
    assert header[0][0] == ("td", d.TABLE3_IDENTITY_NOTE, 3, 3)
    assert header[0][1] == ("th", "申请人情况", 7, 1)
    assert header[1] == [("th", "自然人", 1, 2), ("th", "法人或其他组织", 5, 1), ("th", "总计", 1, 2)]
    assert [c[1] for c in header[2]] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert len(body) == rows
    assert body[2][0] == ("th", "三、本年度办理结果", 1, results_rowspan)  # row labels are row headers
    assert body[4][0][1:] == ("（三）不予公开", 1, 8)
    # every body row is 10 columns wide once rowspans are counted
    grid = table3_grid(doc)
    placed = positions(grid)
    assert max(c + cell.colspan for _, c, cell in placed) == 10
    # the figures of seed 001 are in the right cells
    if doc is SEED_001:
        received = body[0]
        assert received[0][1] == d.RECEIVED and [c[1] for c in received[1:]] == [
            "7",
            "0",
            "0",
            "0",
            "0",
            "2",
            "9",
        ]


@pytest.mark.parametrize(("doc", "width"), [(SEED_001, 5), (doc_2021(), 4)])
def test_html_table2_blocks(doc, width):
    table2, _, _ = parsed_tables(doc)
    block_headers = [row[0] for row in table2 if len(row) == 1]
    assert all(cell[2] == width for cell in block_headers)
    assert [c[1] for c in block_headers] == [b.item for b in d.FORMATS[doc["format"]].table2_layout.blocks]
    if doc is SEED_001:
        assert [c[1] for c in table2[-1]] == ["政府集中采购", "1166", "101647022.75元"]


def test_html_table4_structure():
    _, _, table4 = parsed_tables(SEED_001)
    assert table4[0] == [("th", "行政复议", 5, 1), ("th", "行政诉讼", 10, 1)]
    assert [c[1] for c in table4[3]] == ["0"] * 5 + ["0", "1", "0", "0", "1"] + ["0"] * 5


def test_html_escapes_section_text_and_has_no_inline_script_or_style_attributes():
    doc = copy.deepcopy(SEED_001)
    doc["sections"]["六"] = "<script>alert(1)</script>"
    html = render_html(doc, monthly=[1] * 12)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "style=" not in html
    assert html.count("<svg") == 2


def test_xlsx_has_the_merges():
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(render_xlsx(SEED_001)))
    ws = book["表三"]
    assert ws["A1"].value.endswith("年政府信息公开工作年度报告（表三）")  # the title row, the table below it
    assert ws["A3"].value == d.TABLE3_IDENTITY_NOTE
    assert "A3:C5" in {str(r) for r in ws.merged_cells.ranges}
    assert "A8:A27" in {str(r) for r in ws.merged_cells.ranges}  # 三、本年度办理结果 over 20 rows
    assert ws["J6"].value == 9  # 一、… 总计
    assert book["表四"]["G6"].value == 1


def test_docx_tables():
    from docx import Document

    document = Document(io.BytesIO(render_docx(SEED_001)))
    texts = [p.text for p in document.paragraphs]
    assert d.SECTION_HEADINGS["五"] in texts
    table3 = document.tables[1]
    assert table3.cell(0, 0).text == d.TABLE3_IDENTITY_NOTE
    assert table3.cell(2, 0).text == d.TABLE3_IDENTITY_NOTE  # merged 3×3
    assert table3.cell(3, 9).text == "9"


def _embedded_fonts(page):
    """Names of the page's fonts that carry a font program (FontFile/FontFile2/FontFile3)."""
    from pdfminer.pdftypes import resolve1

    names = []
    for font in resolve1(resolve1(page.page_obj.resources)["Font"]).values():
        font = resolve1(font)
        for desc_font in [font, *(resolve1(f) for f in resolve1(font.get("DescendantFonts", [])))]:
            descriptor = resolve1(desc_font.get("FontDescriptor"))
            if descriptor and any(k in descriptor for k in ("FontFile", "FontFile2", "FontFile3")):
                base = desc_font.get("BaseFont")
                names.append(getattr(base, "name", base))
    return names


def test_pdf_page_has_real_chinese_text():
    # given the seed rendered to PDF
    import pdfplumber

    pdf_bytes = render_pdf(SEED_001, monthly=[0, 1, 2, 0, 0, 0, 3, 0, 0, 1, 0, 2])
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        page = pdf.pages[0]
        # then the text is extractable Chinese
        text = page.extract_text()
        assert "洛江区人民政府2020年政府信息公开工作年度报告" in text.replace("\n", "")
        # and its fonts are embedded CJK fonts
        fonts = {c["fontname"] for c in page.chars if c["text"] == "政"}
        embedded = {n.decode() if isinstance(n, bytes) else str(n) for n in _embedded_fonts(page)}
        assert fonts and fonts <= embedded, (fonts, embedded)
        # when the page is rendered to PNG, two different characters draw different glyphs (not tofu boxes)
        image = page.to_image(resolution=100).original.convert("L")
        png = io.BytesIO()
        image.save(png, format="PNG")
        assert png.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"
        scale = 100 / 72

        def glyph(ch):
            c = next(c for c in page.chars if c["text"] == ch)
            box = tuple(round(v * scale) for v in (c["x0"], c["top"], c["x1"], c["bottom"]))
            crop = image.crop(box).resize((24, 24))
            return list(crop.tobytes())

        a, b = glyph("政"), glyph("年")
        assert min(a) < 128 and min(b) < 128  # ink on both
        assert sum(abs(x - y) for x, y in zip(a, b, strict=True)) > 24 * 24 * 10  # and different shapes
