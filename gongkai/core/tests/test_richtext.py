"""Clerks' rich text: one storage form for the editor's HTML and for plain text typed without JavaScript."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from gongkai.core.forms import RichTextarea
from gongkai.core.richtext import looks_like_html, plain_text_if_simple, sanitise_html


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        # plain text typed in the textarea: one line, one paragraph (blank lines and \r\n do not matter)
        ("第一段\n\n第二段\r\n第三段", "<p>第一段</p><p>第二段</p><p>第三段</p>"),
        # plain text is escaped as a whole, not read as tags
        ("面积<5亩 且 a < b", "<p>面积&lt;5亩 且 a &lt; b</p>"),
        # a no-JS clerk's text followed by an inserted generated paragraph (the old 插入到本部分)
        ("第一段\n第二段<p>插入</p>", "<p>第一段</p><p>第二段</p><p>插入</p>"),
        # the editor's output is kept; empty paragraphs (Enter twice) and the whitespace between blocks go
        ("<p>甲</p>\n<p></p><p><br></p>\n<p>乙</p>", "<p>甲</p><p>乙</p>"),
        # inline formatting typed across lines: the line breaks outside tags cut paragraphs
        ("前<strong>加粗</strong>后\n下一行", "<p>前<strong>加粗</strong>后</p><p>下一行</p>"),
        # nothing but empty paragraphs is nothing
        ("<p></p>", ""),
        ("  \n ", ""),
    ],
)
def test_storage_form(raw, stored):
    assert sanitise_html(raw) == stored
    assert sanitise_html(stored) == stored  # idempotent: rendering passes stored values through it again


def test_tables_lists_and_links_are_kept_and_unsafe_parts_dropped():
    editor_html = (
        "<h3>（一）主要做法</h3><ul><li><p>健全制度</p></li></ul>"
        '<table style="min-width: 75px"><colgroup><col style="min-width: 25px"></colgroup><tbody>'
        '<tr><th colspan="1" rowspan="1"><p>项目</p></th><th><p>数量</p></th></tr>'
        '<tr><td colspan="2"><p>规章</p></td></tr></tbody></table>'
        '<p onclick="x()">详见<a href="https://www.gov.cn/" target="_blank">中国政府网</a>'
        '<a href="javascript:alert(1)">坏链接</a><script>alert(1)</script></p>'
    )
    stored = sanitise_html(editor_html)
    assert "<h3>（一）主要做法</h3><ul><li><p>健全制度</p></li></ul>" in stored
    # the header row the editor made becomes the table's thead, each heading scoped to its column; a cell with
    # one bare paragraph holds its text; the editor's inline widths are gone
    assert (
        '<table><thead><tr><th colspan="1" rowspan="1" scope="col">项目</th><th scope="col">数量</th></tr></thead>'
        '<tbody><tr><td colspan="2">规章</td></tr></tbody></table>'
    ) in stored
    assert '<a href="https://www.gov.cn/" rel="noopener noreferrer">中国政府网</a>' in stored
    for unsafe in ("style", "colgroup", "onclick", "javascript", "script", "target"):
        assert unsafe not in stored


def test_blank_headings_become_data_cells_and_an_empty_header_row_goes():
    # issue 18, defect 4: the editor's 3x3 table with 表头行 and one heading typed fails axe empty-table-header
    editor_html = (
        "<table><tbody><tr><th><p>项目</p></th><th><p></p></th><th><p><br></p></th></tr>"
        "<tr><td><p>规章</p></td><td><p></p></td><td><p></p></td></tr></tbody></table>"
    )
    stored = sanitise_html(editor_html)
    assert stored == (
        '<table><thead><tr><th scope="col">项目</th><td></td><td><br></td></tr></thead>'
        "<tbody><tr><td>规章</td><td></td><td></td></tr></tbody></table>"
    )
    assert sanitise_html(stored) == stored  # rendering sanitises again: the same form
    # a header row with no heading typed at all is dropped (also from a stored thead)
    blank = sanitise_html(
        '<table><thead><tr><th scope="col"></th><th> </th></tr></thead><tbody><tr><td>规章</td><td>1</td></tr>'
        "<tr><th>合计</th><th></th></tr></tbody></table>"
    )
    assert (
        blank
        == "<table><tbody><tr><td>规章</td><td>1</td></tr><tr><th>合计</th><td></td></tr></tbody></table>"
    )


def test_looks_like_html():
    assert looks_like_html("<p>x</p>") and looks_like_html("a<br>b") and looks_like_html("<!-- x -->")
    assert not looks_like_html("x<y and a < b") and not looks_like_html("第一段\n第二段")


def test_plain_text_is_offered_back_as_lines_only_when_nothing_would_be_lost():
    assert plain_text_if_simple("<p>第一段</p><p>a &lt; b</p>") == "第一段\na < b"
    assert plain_text_if_simple("旧的纯文本\n第二行") == "旧的纯文本\n第二行"
    assert plain_text_if_simple("<p><strong>加粗</strong></p>") is None
    assert plain_text_if_simple("<table><tr><td>1</td></tr></table>") is None
    assert plain_text_if_simple("") == ""
    # and the lines come back as the same paragraphs
    assert (
        sanitise_html(plain_text_if_simple("<p>第一段</p><p>a &lt; b</p>") or "")
        == "<p>第一段</p><p>a &lt; b</p>"
    )


def test_the_textarea_shows_text_not_tags_and_carries_the_editor_hooks():
    widget = RichTextarea(headings=(3, 4))
    html = widget.render("一", "<p>第一段</p><p>第二段</p>", attrs={"id": "id_一"})
    assert "第一段\n第二段</textarea>" in html and "&lt;p&gt;" not in html
    assert 'data-rich-text=""' in html and 'data-headings="3,4"' in html
    formatted = widget.render("一", "<p><strong>加粗</strong></p>")
    assert "&lt;p&gt;&lt;strong&gt;加粗" in formatted  # formatting only HTML can carry stays HTML
    assert "gongkai/vendor/tiptap/tiptap.min.js" in str(widget.media) and "gongkai/editor.js" in str(
        widget.media
    )


def test_the_template_filter_shows_old_plain_text_as_paragraphs_and_never_unsafe_html():
    template = Template("{% load richtext %}{{ body|rich_text }}")
    assert template.render(Context({"body": "第一段\n第二段"})) == "<p>第一段</p><p>第二段</p>"
    assert template.render(Context({"body": "<p>x</p><script>alert(1)</script>"})) == "<p>x</p>"
    assert template.render(Context({"body": None})) == ""
