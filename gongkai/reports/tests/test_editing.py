"""Issue 18, defects 2 and 3: the 编辑正文 page keeps a clerk's paragraphs, and the 表二 figures form offers only the
indicators of the chosen 项目 in the year's format, with every label bound to its own field."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest

from gongkai.core.actors import SYSTEM_TEST
from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import staff
from gongkai.reports import services
from gongkai.reports.forms import FigureForm
from gongkai.reports.models import Report, Table2Figure
from gongkai.reports.render import render_docx, render_html, render_pdf

pytestmark = pytest.mark.django_db


def _labels_and_fields(page: str) -> list[tuple[str, str]]:
    """(label's for, id of the next form field after it) for every label of the page's forms."""
    pairs = []
    for match in re.finditer(r'<label for="([^"]+)"', page):
        field = re.compile(r'<(?:textarea|select|input)\b[^>]*\bid="([^"]+)"').search(page, match.end())
        assert field is not None
        pairs.append((match.group(1), field.group(1)))
    return pairs


class TestSections:
    def test_lines_typed_without_the_editor_become_paragraphs_in_html_and_pdf(self, client, org_tree):
        org = org_tree["own"]
        report = services.report_create(actor=SYSTEM_TEST, org=org, year=2022)
        client.force_login(staff(Role.CLERK, org))
        client.post(f"/admin/reports/{report.pk}/edit/", {"一": "本年度总体情况良好。\r\n主动公开稳步推进。"})
        report.refresh_from_db()
        assert report.sections["一"] == "<p>本年度总体情况良好。</p><p>主动公开稳步推进。</p>"
        doc = services.frozen_document(report)
        html = render_html(doc, sections_html=report.sections)
        assert "<p>本年度总体情况良好。</p><p>主动公开稳步推进。</p>" in html
        with pdfplumber.open(io.BytesIO(render_pdf(doc, sections_html=report.sections))) as pdf:
            lines = [line.replace(" ", "") for line in (pdf.pages[0].extract_text() or "").splitlines()]
        assert "本年度总体情况良好。" in lines and "主动公开稳步推进。" in lines  # two lines, not one run

    def test_the_word_file_has_the_clerks_paragraphs_list_and_table_as_words_own(self, org_tree):
        from docx import Document

        report = services.report_create(actor=SYSTEM_TEST, org=org_tree["own"], year=2022)
        sections = {
            "一": "<p>第一段。</p><h3>（一）做法</h3><ul><li><p>健全制度</p></li></ul>"
            '<table><tbody><tr><th>项目</th><th>数量</th></tr><tr><td colspan="2"><p>合计<strong>3</strong>件</p></td>'
            '</tr></tbody></table><p>详见<a href="https://www.gov.cn/">中国政府网</a>。</p>'
        }
        report = services.report_update_sections(actor=SYSTEM_TEST, report=report, sections=sections)
        document = Document(
            io.BytesIO(render_docx(services.frozen_document(report), sections_html=report.sections))
        )
        paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
        start = paragraphs.index(("Heading 2", "一、总体情况"))
        assert paragraphs[start + 1 : start + 5] == [
            ("Normal", "第一段。"),
            ("Heading 3", "（一）做法"),
            ("List Bullet", "健全制度"),
            ("Normal", "详见中国政府网（https://www.gov.cn/）。"),
        ]
        table = document.tables[0]  # the clerk's table comes before 表二
        assert [[c.text for c in row.cells] for row in table.rows] == [
            ["项目", "数量"],
            ["合计3件", "合计3件"],
        ]
        bold = [r.text for r in table.rows[1].cells[0].paragraphs[0].runs if r.bold]
        assert bold == ["3"] and table.rows[0].cells[0].paragraphs[0].runs[0].bold

    def test_a_section_saved_before_the_editor_renders_as_paragraphs(self, org_tree):
        report = services.report_create(actor=SYSTEM_TEST, org=org_tree["own"], year=2022)
        Report.objects.filter(pk=report.pk).update(sections={**report.sections, "五": "问题一\n问题二"})
        report.refresh_from_db()
        html = render_html(services.frozen_document(report), sections_html=report.sections)
        assert "<p>问题一</p><p>问题二</p>" in html

    def test_insert_adds_a_paragraph_not_tags_and_the_page_shows_text(self, client, org_tree):
        org = org_tree["own"]
        report = services.report_create(actor=SYSTEM_TEST, org=org, year=2022)
        client.force_login(staff(Role.CLERK, org))
        client.post(f"/admin/reports/{report.pk}/edit/", {"三": "本机关的说明。", "insert": "三"})
        report.refresh_from_db()
        assert re.fullmatch(
            r"<p>本机关的说明。</p><p>2022年，共收到政府信息公开申请0件[^<]*</p>", report.sections["三"]
        )
        page = client.get(f"/admin/reports/{report.pk}/edit/").content.decode()
        # the textarea (what a clerk without JavaScript sees) holds lines of text, not <p> tags
        textarea = re.search(r'<textarea name="三"[^>]*>(.*?)</textarea>', page, re.S)
        assert (
            textarea and textarea.group(1).startswith("\n本机关的说明。\n2022年") and "&lt;p&gt;" not in page
        )
        # with the editor, the button inserts the same paragraph in the page (editor.js); 三 now holds its own
        assert 'data-insert-into="四"' in page and "gongkai/editor.js" in page

    def test_each_label_is_bound_to_its_own_field(self, client, org_tree):
        org = org_tree["own"]
        report = services.report_create(actor=SYSTEM_TEST, org=org, year=2022)
        client.force_login(staff(Role.CLERK, org))
        page = client.get(f"/admin/reports/{report.pk}/edit/").content.decode()
        pairs = _labels_and_fields(page)
        assert [p[0] for p in pairs] == [f"id_{n}" for n in "一二三四五六"]
        assert all(label == field for label, field in pairs)
        assert (
            '<form class="stack report-sections"' in page
        )  # labels above their fields, never beside another


class TestFigureForm:
    def test_labels_stack_above_their_own_fields(self, client, org_tree):
        client.force_login(staff(Role.CLERK, org_tree["own"]))
        page = client.get("/admin/reports/figures/").content.decode()
        assert page.count('<form class="stack"') == 2
        pairs = _labels_and_fields(page)
        assert pairs and all(label == field for label, field in pairs)

    def test_options_name_their_formats_and_blocks(self):
        form = FigureForm(orgs=None)
        html = str(form["project"]) + str(form["indicator"]) + str(form["year"])
        assert 'data-format-starts="2019:2019 2021:2021"' in html
        # 行政许可 is in both formats; 行政规范性文件 only in the 2021 one, 规范性文件 only in the 2019 one
        assert re.search(r'value="第二十条第（五）项/行政许可" data-formats="2021:2 2019:2"', html)
        assert re.search(r'value="第二十条第（一）项/行政规范性文件" data-formats="2021:1"', html)
        assert re.search(r'value="第二十条第（一）项/规范性文件" data-formats="2019:1"', html)
        # 处理决定数量 belongs to the 2019 blocks only, 本年处理决定数量 to the 2021 ones
        assert re.search(
            r'value="处理决定数量" data-blocks="2019:第二十条第（五）项 2019:第二十条第（六）项"', html
        )
        assert re.search(
            r'value="本年处理决定数量" data-blocks="2021:第二十条第（五）项 2021:第二十条第（六）项"', html
        )

    @pytest.mark.parametrize(
        ("project", "indicator", "field", "message"),
        [
            (
                "第二十条第（五）项/行政许可",
                "处理决定数量",
                "indicator",
                "2022年度适用2021年格式（国办公开办函〔2021〕30号），“行政许可”没有指标“处理决定数量”；"
                "应为：本年处理决定数量。",
            ),
            ("第二十条第（一）项/规范性文件", "本年制发件数", "project", "表二没有项目“规范性文件”"),
        ],
    )
    def test_a_combination_of_another_format_is_refused_on_its_field(
        self, client, org_tree, project, indicator, field, message
    ):
        org = org_tree["own"]
        client.force_login(staff(Role.CLERK, org))
        data = {"f-org": org.pk, "f-year": 2022, "f-project": project, "f-indicator": indicator}
        response = client.post("/admin/reports/figures/", {**data, "f-value": "3", "f-source": "审批局"})
        assert message in response.content.decode()
        error = re.search(
            rf'<div class="error" id="id_f-{field}_error">(.*?)</div>', response.content.decode(), re.S
        )
        assert error and message in error.group(1)
        assert not Table2Figure.objects.exists()


def test_a_generated_paragraph_already_in_its_section_is_not_offered_nor_appended_again(client, org_tree):
    org = org_tree["own"]
    report = services.report_create(actor=SYSTEM_TEST, org=org, year=2022)
    client.force_login(staff(Role.CLERK, org))
    url = f"/admin/reports/{report.pk}/edit/"
    page = client.get(url).content.decode()
    assert 'data-insert-into="三"' in page and "本部分已包含生成的段落" not in page
    client.post(url, {"三": "本机关的说明。", "insert": "三"})
    report.refresh_from_db()
    once = report.sections["三"]
    page = client.get(url).content.decode()
    assert 'data-insert-into="三"' not in page and "本部分已包含生成的段落" in page
    assert 'data-insert-into="四"' in page  # the other sections still offer theirs
    # a second insert (a resubmitted form, a second click without JavaScript) does not put it in twice
    response = client.post(url, {"三": once, "insert": "三"}, follow=True)
    report.refresh_from_db()
    assert report.sections["三"] == once and once.count("共收到政府信息公开申请") == 1
    assert "本部分已包含生成的段落，未重复插入。" in response.content.decode()
