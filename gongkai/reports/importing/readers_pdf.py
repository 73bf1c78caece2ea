"""Readers, PDF: a text-based PDF → flat text; tables by pdfplumber's table finder, the rest as text lines."""

from __future__ import annotations

import io
import logging
import re
from typing import Any

from gongkai.core import uploads

from .readers_grid import flatten_grid
from .readers_text import JOIN_TIGHT, RIGHT_MARGIN, NoTextLayer, ReadError, ReadResult

logger = logging.getLogger(__name__)

MAX_PDF_PAGES = uploads.MAX_PDF_PAGES
_SPACED_FIGURES = re.compile(r"(?:^|\s)[-+]?\d[\d,.]*(?=\s|$)")


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]+\s*\d+\s*[-—–－]+|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)\s*$"
)


def _is_page_number(line: dict[str, Any], height: float) -> bool:
    """Page numbers ("— 3 —", "第3页 共5页", or a bare number in the top/bottom margin) are not content."""
    text = line["text"].strip()
    if _PAGE_NUMBER.match(text):
        return True
    in_margin = line["top"] < height * 0.06 or line["bottom"] > height * 0.92
    return in_margin and text.isdigit()


def _unwrap(lines: list[tuple[str, float | None]]) -> list[str]:
    """Join a text line that runs to the right margin (of the whole document's text) with the next one: a
    wrapped sentence, a label broken over lines ("三、本年度办" / "理结果") or a report printed as one paragraph
    reads as the line it was written as. Chinese text and figures join without a space (a figure cut by the
    wrap, "1" / "0407条", is one figure). Tables and lines of spaced figures (a table row the table finder
    missed) are never joined."""
    right = max((x1 for _, x1 in lines if x1 is not None), default=0.0)
    out: list[str] = []
    joining = False
    for text, x1 in lines:
        cells = x1 is None or len(_SPACED_FIGURES.findall(text)) >= 2
        if joining and not cells:
            tight = JOIN_TIGHT.match(text[:1]) and JOIN_TIGHT.match(out[-1][-1:])
            out[-1] += text if tight else f" {text}"
        else:
            out.append(text)
        joining = not cells and x1 is not None and x1 >= RIGHT_MARGIN * right
    return out


def _pdf_error(exc: BaseException, stage: str) -> ReadError:
    """Name encryption explicitly (pdfplumber wraps pdfminer's PDFPasswordIncorrect in its own exception)."""
    chain = [exc, *exc.args, exc.__cause__, exc.__context__]
    names = " ".join(type(e).__name__ for e in chain if isinstance(e, BaseException))
    if "Password" in names or "Encrypt" in names:
        return ReadError("PDF 文件已加密（需要密码），无法读取")
    return ReadError(f"PDF 文件已损坏或{stage}（{type(exc).__name__}）")


def read_pdf(data: bytes) -> ReadResult:
    """Text-based PDF → flat text; tables found by pdfplumber's table finder, the rest as text lines."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for damaged files
        logger.debug("PDF reader failed to open the file", exc_info=True)
        raise _pdf_error(exc, "无法解析") from exc
    flowing: list[tuple[str, float | None]] = []
    try:
        if len(pdf.pages) > MAX_PDF_PAGES:
            raise ReadError(f"PDF 页数过多（{len(pdf.pages)} 页），已跳过")
        budget = uploads.TimeBudget()
        for page in pdf.pages:
            budget.check()
            items: list[tuple[float, str, float | None]] = []  # (top, text, right edge; None: a table)
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]
            for table in tables:
                rows = table.extract()
                grid: list[list[str | None]] = [[cell for cell in row] for row in rows]
                items.append((table.bbox[1], flatten_grid(grid), None))
            for line in page.extract_text_lines(return_chars=False):
                if not (_inside(line, boxes) or _is_page_number(line, page.height)):
                    items.append((line["top"], line["text"], line["x1"]))
            items.sort(key=lambda item: item[0])
            flowing.extend((text, right) for _, text, right in items if text.strip())
    except ReadError:
        raise
    except uploads.UploadRefused as exc:
        raise ReadError(f"PDF 文件已跳过：{str(exc).rstrip('。')}") from exc
    except Exception as exc:  # noqa: BLE001
        logger.debug("PDF reader failed on a page", exc_info=True)
        raise _pdf_error(exc, "内容无法解析") from exc
    finally:
        pdf.close()
    text = "\n".join(_unwrap(flowing))
    if not text.strip():
        raise NoTextLayer("PDF 中没有文字层（可能是扫描件），需要先做文字识别（OCR）")
    return ReadResult(text=text, filetype="pdf")
