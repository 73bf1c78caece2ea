"""Readers, OCR: a scanned PDF or a photo → flat text, table rows as ``cell |`` lines, every word's position kept.

The words of ``ocr`` are laid out again: a line is the words tesseract put on one line, sorted by x; it is cut
into cells where the gap between two words is wider than ``CELL_GAP`` × the line's height (the column gutters of
a printed table, ruled or not). A line of three or more cells of which at least two are figures is a table row and
becomes ``cell | cell |`` (the flat form every reader emits); any other line is text, joined to the next when it
runs to the right margin (a wrapped sentence, or a report printed as one long paragraph). Digits are repaired only
in cells that are figures (``O``→0, ``l``/``I``/``|``→1, …). ``ReadResult.positions`` maps every stretch of the text
to its page, box (page pixels at ``ocr.OCR_DPI``) and confidence, so each extracted cell can name where it came from
(``provenance``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from gongkai.core import uploads

from . import ocr
from .readers_text import RIGHT_MARGIN, ReadError, ReadResult

CELL_GAP = 1.2  # a gap wider than 1.2 line heights separates two cells
_DIGIT_FIX = str.maketrans(
    {"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "|": "1", "i": "1", "S": "5", "B": "8"}
)
_FIGURE = re.compile(r"[-−]?[\dOoDlI|iSB][\dOoDlI|iSB,，.]*")
_CJK = re.compile(r"[\u3400-\u9fff（）“”、，。：；]")
# a printed page number 「— 4 —」 as OCR reads it: 「一省一」, 「一三一:」, 「-4-」 (a line of its own, dropped: it cuts
# a table continued on the next page in two)
_PAGE_NUMBER = re.compile(r"^[一—–\-－_~]{1,2}\s*\S{1,2}\s*[一—–\-－_~]{1,2}[:：.。]?$")


@dataclass
class Position:
    """A stretch of the text [start, end) and where it was read: page, box, confidence (0–1)."""

    start: int
    end: int
    page: int
    bbox: tuple[int, int, int, int]
    confidence: float

    def as_source(self) -> dict[str, object]:
        return {"page": self.page, "bbox": list(self.bbox), "confidence": self.confidence}


@dataclass
class _Cell:
    words: list[ocr.Word] = field(default_factory=list)

    @property
    def text(self) -> str:
        text = ""
        for word in self.words:
            sep = "" if _CJK.search(word.text[:1]) or _CJK.search(text[-1:]) else " "
            text = f"{text}{sep}{word.text}" if text else word.text
        return text

    def is_figure(self) -> bool:
        text = self.text.replace(" ", "")
        # a lone "O" or "l" between figures is a misread 0 or 1; longer letter runs need a real digit
        return bool(_FIGURE.fullmatch(text)) and (any(ch.isdigit() for ch in text) or len(text) == 1)


def figure_text(text: str) -> str:
    """A cell that is a figure, with OCR's letter-for-digit confusions mapped back (only ever on figures)."""
    return text.replace(" ", "").translate(_DIGIT_FIX)


def _lines(words: list[ocr.Word]) -> list[list[ocr.Word]]:
    """Tesseract's lines, and one line per band of a ruled table (its words in every cell of the band)."""
    grouped: dict[tuple[int, tuple[int, ...]], list[ocr.Word]] = defaultdict(list)
    for word in words:
        grouped[(word.page, (-1, word.cell.band) if word.cell else word.line)].append(word)
    lines = [sorted(ws, key=lambda w: w.bbox[0]) for ws in grouped.values()]

    def top(ws: list[ocr.Word]) -> int:
        return ws[0].cell.top if ws[0].cell else min(w.bbox[1] for w in ws)

    return sorted(lines, key=lambda ws: (ws[0].page, top(ws), ws[0].bbox[0]))


def _band(line: list[ocr.Word], out: _Writer) -> None:
    """A band of a ruled table as one flat row: every own cell ``text |`` (blank: ``|``), covered ones left out."""
    tag = line[0].cell
    assert tag is not None
    by_column: dict[int, list[ocr.Word]] = defaultdict(list)
    for word in line:
        if word.cell is not None:
            by_column[word.cell.column].append(word)
    parts: list[str] = []
    for column, own in enumerate(tag.own):
        if not own:
            continue
        cell = _Cell(sorted(by_column.get(column, []), key=lambda w: (w.line, w.bbox[0])))
        if parts:
            out.add(" ")
        if not cell.words:
            out.add("|")
            parts.append("")
            continue
        text = figure_text(cell.text) if cell.is_figure() else cell.text
        if len(text) > 1 and not text.strip("0"):  # a ruled cell holds one figure: 「00」 is a 0 read twice
            text = "0"
        out.add(text, cell.words)
        out.add(" |")
        parts.append(text)
    out.add("\n")


def _cells(line: list[ocr.Word]) -> list[_Cell]:
    height = sorted(w.bbox[3] - w.bbox[1] for w in line)[len(line) // 2] or 1
    cells = [_Cell([line[0]])]
    for word in line[1:]:
        if word.bbox[0] - cells[-1].words[-1].bbox[2] > CELL_GAP * height:
            cells.append(_Cell())
        cells[-1].words.append(word)
    return cells


class _Writer:
    """Builds the text and its positions together."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.positions: list[Position] = []

    def add(self, text: str, words: list[ocr.Word] | None = None) -> None:
        if words:
            box = (
                min(w.bbox[0] for w in words),
                min(w.bbox[1] for w in words),
                max(w.bbox[2] for w in words),
                max(w.bbox[3] for w in words),
            )
            confidence = min(w.confidence for w in words)
            self.positions.append(
                Position(self.length, self.length + len(text), words[0].page, box, confidence)
            )
        self.parts.append(text)
        self.length += len(text)

    def text(self) -> str:
        return "".join(self.parts)


def layout(words: list[ocr.Word]) -> tuple[str, list[Position]]:
    """OCR words → (flat text, positions): table rows as ``cell |`` lines, wrapped text lines joined."""
    out = _Writer()
    lines = _lines(words)
    right: dict[int, int] = defaultdict(int)
    for line in lines:
        right[line[0].page] = max(right[line[0].page], line[-1].bbox[2])
    joining = False
    for line in lines:
        if line[0].cell is not None:
            if joining:
                out.add("\n")
            _band(line, out)
            joining = False
            continue
        if _PAGE_NUMBER.match("".join(w.text for w in line)):
            continue
        cells = _cells(line)
        figures = sum(cell.is_figure() for cell in cells)
        if len(cells) >= 3 and figures >= 2:
            if joining:
                out.add("\n")
            for n, cell in enumerate(cells):
                text = figure_text(cell.text) if cell.is_figure() else cell.text
                out.add(text, cell.words)
                out.add(" |" if n == len(cells) - 1 else " | ")
            out.add("\n")
            joining = False
            continue
        if joining and not (_CJK.search(line[0].text[:1]) or out.text().endswith(" ")):
            out.add(" ")
        for n, word in enumerate(line):
            if n and not (_CJK.search(word.text[:1]) or _CJK.search(line[n - 1].text[-1:])):
                out.add(" ")
            out.add(word.text, [word])
        joining = line[-1].bbox[2] >= RIGHT_MARGIN * right[line[0].page]
        if not joining:
            out.add("\n")
    return out.text().strip("\n"), out.positions


MIN_OCR_CHARS = 10  # fewer recognised characters than this is noise (a blank page gives "一1一")


def _result(words: list[ocr.Word], filetype: str) -> ReadResult:
    if sum(len(w.text) for w in words) < MIN_OCR_CHARS:
        if filetype == "scan_pdf":
            raise ReadError("PDF 中没有文字层（可能是扫描件），文字识别（OCR）也没有识别出文字")
        raise ReadError("图片中没有识别出文字（可能过于模糊或不是报告页面）")
    text, positions = layout(words)
    result = ReadResult(text=text, filetype=filetype, notes=["ocr"])
    result.positions = positions
    return result


def _engine() -> str:
    program = ocr.engine_path()
    if program is None:
        raise ReadError("服务器未安装文字识别引擎（tesseract 及简体中文模型），暂时无法识别扫描件或照片")
    return program


def read_scan_pdf(data: bytes) -> ReadResult:
    """A PDF without a text layer → OCR of its rasterised pages."""
    return _result(ocr.ocr_pdf(data, _engine()), "scan_pdf")


def read_image(data: bytes) -> ReadResult:
    """A photo or a scanned page (PNG, JPEG, GIF, WebP) → OCR; the upload guard checks type and size first."""
    kind = uploads.sniff(data)
    if kind is None or kind.key not in uploads.IMAGE_KINDS:
        raise ReadError("文件是压缩数据或不支持的图片格式，不是可识别的报告文件")
    try:
        uploads.verify(data, kind)
    except uploads.UploadRefused as exc:
        raise ReadError(f"图片已跳过：{str(exc).rstrip('。')}") from exc
    return _result(ocr.ocr_image(data, _engine()), "image")
