"""Word 97 (.doc) through antiword: text and tables in the flat form, clear refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.reports.importing import readers_doc
from gongkai.reports.importing.pipeline import import_bytes
from gongkai.reports.importing.readers import ReadError, read_bytes, sniff

FIXTURE = Path(__file__).parent / "fixtures" / "doc" / "table4_simple.doc"
needs_antiword = pytest.mark.skipif(
    readers_doc.antiword_path() is None,
    reason="antiword 未安装（make test 的 scripts/ensure-system-deps.sh 会安装）",
)


@needs_antiword
def test_doc_table_comes_back_as_flat_rows():
    # given a Word 97 file (made by LibreOffice from a DOCX) with a heading, a 5-column table and a paragraph
    data = FIXTURE.read_bytes()
    assert sniff(data, "x.doc") == "doc"
    # when it is read
    result = read_bytes(data, "report.doc")
    # then the paragraphs are lines and every table row is one `cell |` line, in document order
    assert result.filetype == "doc"
    assert result.text.split("\n") == [
        "四、政府信息公开行政复议、行政诉讼情况",
        "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |",
        "0 | 1 | 0 | 0 | 1 |",
        "2 | 0 | 0 | 1 | 3 |",
        "五、存在的主要问题及改进情况",
    ]


def test_antiword_table_rows_keep_blank_cells():
    text = readers_doc.flat_text("标题\n|a   |    |3  |\n|b   |1   |   |\n\n正文")
    assert text.split("\n") == ["标题", "a | | 3 |", "b | 1 | |", "正文"]


def test_an_ole_file_that_is_not_word_is_refused_in_chinese():
    # an OLE2 compound file without a WordDocument stream (an .xls, say) is not a Word 97 document
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    with pytest.raises(ReadError, match="不是 Word 97"):
        readers_doc.read_doc(data)
    [doc] = import_bytes(data, "report.doc")
    assert doc["findings"][0]["code"] == "import_unreadable"


@needs_antiword
def test_damaged_word_file_is_refused_in_chinese():
    data = FIXTURE.read_bytes()[:2048]
    with pytest.raises(ReadError, match="Word"):
        read_bytes(data, "report.doc")


def test_missing_antiword_is_a_clear_message(monkeypatch):
    monkeypatch.setattr(readers_doc, "antiword_path", lambda: None)
    with pytest.raises(ReadError, match="未安装 antiword"):
        readers_doc.read_doc(FIXTURE.read_bytes())


def test_upload_guards_know_word_97_by_its_bytes():
    from gongkai.core import uploads

    data = FIXTURE.read_bytes()
    # a compound file with a WordDocument stream is a .doc; one without (an .xls, say) is not
    assert uploads.sniff(data).key == "doc"
    uploads.verify(data, uploads.KINDS["doc"])
    assert uploads.sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600) is None


CORPUS = Path(__file__).resolve().parents[4] / "bench" / "corpus" / "files"


@needs_antiword
@pytest.mark.skipif(not (CORPUS / "d309.doc").is_file(), reason="bench/corpus 不在此检出中")
def test_a_word_97_report_comes_back_like_its_docx_twin():
    # given the corpus's dev-half d309.doc (LibreOffice's Word 97 of r101.txt, one paragraph per line) and its
    # DOCX twin made the same way (bench/corpus/derive.py: python-docx, one paragraph per line of r101.txt)
    import io

    import docx

    document = docx.Document()
    for line in (CORPUS / "r101.txt").read_bytes().decode("utf-8").splitlines():
        document.add_paragraph(line)
    twin = io.BytesIO()
    document.save(twin)
    # when both are imported
    [from_doc] = import_bytes((CORPUS / "d309.doc").read_bytes(), "report.doc")
    [from_docx] = import_bytes(twin.getvalue(), "report.docx")
    # then the .doc gives the same report: metadata, the three tables, the sections, where each cell stands
    # in the text, and the same findings
    assert from_doc["source"]["filetype"] == "doc" and from_docx["source"]["filetype"] == "docx"
    for key in ("kind", "unit", "year", "format", "table2", "table3", "table4", "sections"):
        assert from_doc[key] == from_docx[key], key
    assert from_doc["table3"] and from_doc["table4"]
    assert from_doc["source"]["cells"] == from_docx["source"]["cells"]
    assert sorted(f["code"] for f in from_doc["findings"]) == sorted(f["code"] for f in from_docx["findings"])
