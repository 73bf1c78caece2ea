"""OCR of scans and photos: word boxes → flat rows, digit repair in figures only, positions; a real tesseract run
on a table image the test draws (Pillow and a CJK font found by fc-match)."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest

from gongkai.reports import definitions as defs
from gongkai.reports.importing import ocr, provenance, readers_ocr
from gongkai.reports.importing.readers import read_bytes
from gongkai.reports.importing.readers_text import ReadResult


def _word(text, x0, y0, x1, y1, conf=0.95, line=1, page=1):
    return ocr.Word(text, page, (x0, y0, x1, y1), conf, (1, 1, line))


def test_a_line_of_figure_cells_becomes_a_flat_row_and_digits_are_repaired_only_there():
    words = [
        _word("行政处罚", 10, 10, 90, 30, line=1),
        _word("l2", 200, 10, 230, 30, line=1),  # "l2" in a figure cell is 12
        _word("O", 300, 10, 315, 30, line=1),  # "O" is 0
        _word("7", 400, 10, 415, 30, line=1),
        _word("Ol", 10, 50, 40, 70, line=2),  # in text, letters stay letters
        _word("说明", 45, 50, 90, 70, line=2),
    ]
    text, positions = readers_ocr.layout(words)
    assert text.split("\n") == ["行政处罚 | 12 | 0 | 7 |", "Ol说明"]
    # every cell's stretch of text points back at its box
    cell = next(p for p in positions if text[p.start : p.end] == "12")
    assert (cell.page, cell.bbox, cell.confidence) == (1, (200, 10, 230, 30), 0.95)


def test_wrapped_text_lines_are_joined_into_one_paragraph():
    words = [
        _word("一、总体情况本年度", 10, 10, 500, 30, line=1),
        _word("全区受理申请。", 10, 40, 200, 60, line=2),
        _word("二、主动公开", 10, 70, 150, 90, line=3),
    ]
    text, _ = readers_ocr.layout(words)
    assert text.split("\n") == ["一、总体情况本年度全区受理申请。", "二、主动公开"]


def test_tesseract_tsv_rows_are_words_with_box_and_confidence():
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "4\t1\t1\t1\t1\t0\t5\t5\t100\t20\t-1\t\n"
        "5\t1\t1\t1\t1\t1\t5\t5\t40\t20\t91.5\t总计\n"
        "5\t1\t1\t1\t1\t2\t60\t5\t10\t20\t42\t9\n"
    )
    words = ocr.parse_tsv(tsv, 2)
    assert [(w.text, w.page, w.bbox, w.confidence) for w in words] == [
        ("总计", 2, (5, 5, 45, 25), 0.915),
        ("9", 2, (60, 5, 70, 25), 0.42),
    ]


def test_ocr_cells_get_page_box_confidence_and_uncertain_ones_a_warning():
    # given 表四's figures read by OCR, one of them with low confidence
    groups, columns = defs.TABLE4.groups, defs.TABLE4.columns
    header = "四、政府信息公开行政复议、行政诉讼情况 结果维持 结果纠正 其他结果 尚未审结 总计 "
    figures = ["1", "0", "0", "0", "1"] + ["0"] * 10
    text = header + " ".join(figures)
    result = ReadResult(text=text, filetype="image")
    offset = len(header)
    for n in range(len(figures)):
        confidence = 0.5 if n == 0 else 0.97
        result.positions.append(
            readers_ocr.Position(offset, offset + 1, 1, (100 + 20 * n, 50, 110 + 20 * n, 70), confidence)
        )
        offset += 2
    doc = {
        "table3": None,
        "table4": {
            g: {c: int(figures[i * 5 + j]) for j, c in enumerate(columns)} for i, g in enumerate(groups)
        },
    }
    sources = provenance.cell_sources(doc, result)
    # then every cell names its page and box
    assert sources["表四/行政复议/结果维持"] == {"page": 1, "bbox": [100, 50, 110, 70], "confidence": 0.5}
    assert len(sources) == 15
    # and the uncertain one is a warning on that cell, the others are not
    found = provenance.ocr_findings(doc, sources)
    assert [(f.code, f.severity, list(f.cells)) for f in found] == [
        ("import_ocr_uncertain", "warning", ["table4:行政复议:结果维持"])
    ]


def test_ocr_figure_not_found_again_is_a_warning_on_its_cell():
    doc = {"table3": None, "table4": {"行政复议": {"结果维持": 3}}}
    result = ReadResult(text="无关文字", filetype="image")
    result.positions.append(readers_ocr.Position(0, 4, 1, (0, 0, 10, 10), 0.99))
    found = provenance.ocr_findings(doc, provenance.cell_sources(doc, result))
    assert [(f.code, list(f.cells)) for f in found] == [("import_ocr_unplaced", ["table4:行政复议:结果维持"])]


def _cjk_font() -> str | None:
    if not shutil.which("fc-match"):
        return None
    done = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK SC"], capture_output=True, check=False)
    path = done.stdout.decode().strip()
    return path if "CJK" in path else None


needs_ocr = pytest.mark.skipif(
    ocr.engine_path() is None or _cjk_font() is None,
    reason="tesseract 简体中文模型或中文字体未安装（make test 的 scripts/ensure-system-deps.sh 会安装）",
)


@needs_ocr
def test_a_photographed_table_is_read_back_by_tesseract():
    from PIL import Image, ImageDraw, ImageFont

    # given a small printed table (ruled, 300 dpi-like size) drawn with a CJK font
    font = ImageFont.truetype(_cjk_font(), 40)
    rows = [["行政处罚", "12", "0", "127"], ["行政强制", "109", "11", "65"]]
    image = Image.new("L", (1100, 260), 255)
    draw = ImageDraw.Draw(image)
    draw.text((40, 20), "第二十条第（六）项", font=font, fill=0)
    for r, row in enumerate(rows):
        y = 100 + 70 * r
        draw.line((30, y - 10, 1070, y - 10), fill=0, width=2)
        for c, cell in enumerate(row):
            draw.text((40 + 280 * c, y), cell, font=font, fill=0)
    out = io.BytesIO()
    image.save(out, "PNG")
    # when it is imported as a photo
    result = read_bytes(out.getvalue(), "photo.png")
    # then its rows come back as flat rows with every figure, each with a box on page 1
    assert result.filetype == "image"
    lines = result.text.split("\n")
    assert "行政处罚 | 12 | 0 | 127 |" in lines
    assert "行政强制 | 109 | 11 | 65 |" in lines
    boxes = [p for p in result.positions if result.text[p.start : p.end] == "109"]
    assert boxes and boxes[0].page == 1 and 0 < boxes[0].confidence <= 1


def test_junk_binary_is_still_refused_in_chinese():
    with pytest.raises(Exception, match="不支持的图片格式"):
        read_bytes(b"\x1f\x8b" + b"\x00" * 100, "x.gz")


def test_a_page_stopped_by_its_cpu_limit_is_a_timeout_not_a_damaged_file(monkeypatch, tmp_path):
    import signal

    from gongkai.reports.importing.readers_text import ReadError

    calls = []

    def stopped(cmd, **kwargs):
        calls.append(kwargs)
        raise subprocess.CalledProcessError(-signal.SIGXCPU, cmd, b"", b"")

    monkeypatch.setattr(ocr.subprocess, "run", stopped)
    with pytest.raises(ReadError, match="超时"):
        ocr.recognise(tmp_path / "p.png", 3, "tesseract")
    # the limit is in CPU seconds (set in the child); the wall clock is only a backstop well above it
    assert calls[0]["preexec_fn"] is not None
    assert calls[0]["timeout"] > ocr.OCR_PAGE_SECONDS


def test_a_page_tesseract_cannot_read_is_still_a_damaged_file(monkeypatch, tmp_path):
    from gongkai.reports.importing.readers_text import ReadError

    def failed(cmd, **kwargs):
        raise subprocess.CalledProcessError(1, cmd, b"", b"bad image")

    monkeypatch.setattr(ocr.subprocess, "run", failed)
    with pytest.raises(ReadError, match="无法识别"):
        ocr.recognise(tmp_path / "p.png", 3, "tesseract")


def test_a_page_number_between_the_parts_of_a_table_is_dropped():
    # "— 4 —" at the foot of a page, as tesseract reads it, stood between 表四's header and its data row
    words = [
        _word("一、总体情况", 10, 10, 200, 30, line=1),
        _word("一省一", 500, 3000, 560, 3020, line=2),
        _word("一三一:", 500, 3100, 560, 3120, line=3),
    ]
    text, _ = readers_ocr.layout(words)
    assert text.split("\n") == ["一、总体情况"]


def test_an_uncertain_table_two_cell_is_named_as_a_table_two_cell():
    # 「本年增/减」 holds a "/": the warning must still name 表二's cell, not a 表四 one
    doc = {"table3": None, "table4": None}
    sources = {
        "表二/第二十条第（五）项/行政许可/本年增/减": {"page": 1, "bbox": [0, 0, 1, 1], "confidence": 0.4}
    }
    [found] = provenance.ocr_findings(doc, sources)
    assert found.code == "import_ocr_uncertain"
    assert list(found.cells) == ["table2:第二十条第（五）项/行政许可:本年增/减"]
    assert "表二" in found.message
