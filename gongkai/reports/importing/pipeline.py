"""Import one file: read → normalise → split → detect → extract → check; one canonical document per report."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gongkai.reports import checks
from gongkai.reports import definitions as defs
from gongkai.reports.checks.findings import Finding

from .blank_rows import merged_blank_rows
from .breaks import join_wrapped
from .detect import Detected, detect
from .extract import extract, finding
from .normalise import normalise_text
from .ocr_sums import digit_findings
from .pre2019 import pre2019_findings
from .provenance import cell_sources, ocr_findings
from .readers import MAX_FILE_BYTES, ReadError, ReadResult, read_bytes
from .split import split_reports
from .unread_parts import present_not_missing

logger = logging.getLogger(__name__)

# Page furniture that web pages append to an article (print/close buttons, QR prompts, share bars).
_CHROME = re.compile(
    r"^(?:【?打印(?:此文|本页)?】?\s*【?关闭(?:窗口)?】?|【关闭窗口】|扫一扫在手机上查看当前页面|分享[:：]?|"
    r"相关阅读|最近更新|推荐专题|上一篇.*|下一篇.*|打印本页|关闭窗口|返回顶部|"
    # page furniture of text extracted from a PDF: "— 4 —", "- 4 -", "第 4 页 共 9 页", "4 / 9"
    r"[-—–－─]+\s*\d{1,3}\s*[-—–－─]+|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})$"
)
_PUBLISHED = re.compile(
    # the page's own date, never the time a crawler or a reader saved it ("抓取时间", "下载日期")
    r"(?<!抓取)(?<!采集)(?<!爬取)(?<!下载)(?<!保存)(?<!访问)(?<!获取)(?<!入库)(?<!更新)(?<!打印)"
    r"(?:发布日期|发文日期|发布时间|成文日期|时间|日期)[\s:：|]*((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
)
_SIGNED = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
SIGNATURE_TAIL = 80  # characters at the end of a report where its signature date stands
_GOV_AREA = re.compile(r"(?:省|市|县|区|旗|乡|镇|自治州|自治县|盟)$")
_DEPARTMENT = re.compile(
    r"(?:局|委员会|委|办公室|办|厅|部|署|中心|所|院|处|站|队|公司|管委会|管理委员会|街道办事处)$"
)


def unit_and_level(unit: str | None) -> tuple[str | None, str | None]:
    """The reporting organisation's name and its OrgKind for deadlines: 洛江区 → 洛江区人民政府, government."""
    if not unit:
        return None, None
    unit = unit.strip("（）()【】[] ")
    if unit.endswith("人民政府"):
        return unit, "government"
    if unit.endswith("政府") and _GOV_AREA.search(unit[:-2]):
        return unit[:-2] + "人民政府", "government"
    if _GOV_AREA.search(unit):
        return unit + "人民政府", "government"
    if _DEPARTMENT.search(unit):
        return unit, "department"
    return unit, None


def _date(match: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def published_on(lines: Sequence[str], year: int | None) -> dt.date | None:
    """The publication date a web page prints in its header (时间:2021-03-26), if after the report year; without
    one, the date the report is signed with at its end (it was published that day or later)."""
    for line in lines[:25]:
        for match in _PUBLISHED.finditer(line):
            day = _date(match)
            if day is not None and (year is None or day.year > year):
                return day
    tail = "".join(line.strip() for line in lines[-8:])[-SIGNATURE_TAIL:]
    last = None
    for match in _SIGNED.finditer(tail):
        last = match
    after = tail[last.end() :] if last else ""
    # a signature ends the report: nothing after it but a few words ("印发", "附件下载"), no sentence
    if last is None or len(after) > 16 or re.search(r"[。；！？]", after):
        return None
    day = _date(last)
    return day if day is not None and year is not None and day.year > year else None


def _document(found: Detected, lines: Sequence[str], source: dict[str, Any]) -> dict[str, Any]:
    unit, _ = unit_and_level(found.unit)
    doc = defs.empty_document(
        unit or "", found.year, found.format, "unknown", unit_code=found.unit_code, fill=None
    )
    doc["unit"] = unit
    doc["kind"] = found.kind
    doc["title"] = found.title
    extraction = extract(lines, found.format)
    doc["sections"] = extraction.sections
    doc["table2"], doc["table3"], doc["table4"] = extraction.table2, extraction.table3, extraction.table4
    doc["source"] = source
    doc["findings"] = list(extraction.findings)
    return doc


_MARKDOWN_MARK = re.compile(r"^\s*(?:#{1,6}\s+|>\s*)|\*\*|__")


def _strip_chrome(lines: list[str]) -> list[str]:
    """Drop web-page and page furniture, also under a Markdown heading mark ("### — 2 —": a PDF converter's page
    footer); Markdown heading marks and bold marks off ("## 一、总体情况")."""
    bare = (_MARKDOWN_MARK.sub("", line) for line in lines)
    return [line for line in bare if not _CHROME.match(line.strip())]


def documents_from_text(result: ReadResult, filename: str, *, check: bool = True) -> list[dict[str, Any]]:
    """Every report in one decoded file, each as canonical JSON with `source` and `findings`."""
    text, notes = normalise_text(result.text)
    lines = join_wrapped(_strip_chrome(text.split("\n")))
    starts = split_reports(lines)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    docs = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        part = lines[start:end]
        found = detect(part)
        source = {
            "file": filename,
            "offset": offsets[start],
            "filetype": result.filetype,
            "encoding": result.encoding,
        }
        if len(starts) > 1:
            source["part"] = n + 1
        doc = _document(found, part, source)
        reading: list[Finding] = list(doc["findings"])
        cells = cell_sources(doc, result) if found.kind == "annual_report" else {}
        source["cells"] = cells
        if result.positions and found.kind == "annual_report":
            reading += ocr_findings(doc, cells) + digit_findings(doc, cells)
        if "traditional" in notes:
            reading.append(finding("import_traditional", "info", "原文为繁体字，已转换为简体后识别。"))
        if "converter_noise" in notes:
            reading.append(
                finding(
                    "import_converter_noise", "info", "原文含转换工具留下的拼音注音（如“根據(jù)”），已清除。"
                )
            )
        if found.year_masked:
            reading.append(
                finding(
                    "import_year_masked", "warning", "报告年度被遮蔽（如“201*年”），年度记为未知。", ["year"]
                )
            )
        if found.kind == "annual_report" and found.format == defs.PRE2019:
            reading += pre2019_findings("\n".join(part))
        found_by_check = (
            doubtful_sums(
                present_not_missing(
                    merged_blank_rows(_not_about_unread_cells(check_findings(doc, part), reading)),
                    doc,
                    "\n".join(part),
                ),
                reading,
            )
            if check
            else []
        )
        doc["findings"] = [f.as_dict() for f in reading] + found_by_check
        docs.append(doc)
    return docs


# Reading findings after which a cell is empty because the importer could not place its figure, not because the
# report left it blank — a 表三 row it did not find included (text extracted from a PDF scatters labels and
# figures; the warning names the rows, an error "应填写数字" on each of their cells would blame the report).
_UNREAD = frozenset(
    {
        "import_ambiguous_split",
        "import_unsplit",
        "import_cell_positions",
        "import_cells",
        "import_rows_missing",
    }
)
_BLANK_CODES = frozenset({"cell_blank", "cell_missing"})


def _not_about_unread_cells(found: list[dict[str, Any]], reading: Sequence[Finding]) -> list[dict[str, Any]]:
    """Drop the engine's "blank cell" findings on cells the importer left empty itself (a reading warning
    names them, or their row): the figure is in the report, only its cell is uncertain."""
    unread = {c for f in reading if f.code in _UNREAD for c in f.cells}
    if not unread:
        return found

    def covered(key: str) -> bool:
        return key in unread or key.rsplit(":", 1)[0] in unread

    return [
        f for f in found if not (f["code"] in _BLANK_CODES and f["cells"] and all(map(covered, f["cells"])))
    ]


# The codes of the formats' sum rules: an error says the report's own figures disagree.
SUM_CODES = frozenset(rule.code for spec in defs.FORMATS.values() for rule in spec.sum_rules)
_DOUBT = "（所涉单元格的读入存疑，见本报告的读入警告：此处不符可能来自识别，请先核对原文。）"


def doubtful_sums(found: list[dict[str, Any]], reading: Sequence[Finding]) -> list[dict[str, Any]]:
    """A sum error over a cell whose reading the importer doubts — a reading warning names the cell or its row
    (placed by position, one of several cuts, OCR digits) — may be the importer's, not the report's: a warning
    that says so. The inconsistency stays flagged on its cells; an error is left for sums over cells read sure."""
    doubted = {
        c for f in reading if f.code.startswith("import_") and f.severity == "warning" for c in f.cells
    }

    def doubtful(key: str) -> bool:
        return key in doubted or key.rsplit(":", 1)[0] in doubted

    return [
        {**f, "severity": "warning", "message": f["message"] + _DOUBT}
        if f["code"] in SUM_CODES and f["severity"] == "error" and any(map(doubtful, f["cells"]))
        else f
        for f in found
    ]


def check_findings(
    doc: dict[str, Any], lines: Sequence[str], previous: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The report engine's findings for an imported document (one rule set: checks.check_document)."""
    _, level = unit_and_level(doc.get("unit"))
    published = published_on(lines, doc.get("year")) if level else None
    found = checks.check_document(doc, previous=previous, published_on=published, org_level=level)
    return [f.as_dict() for f in found]


def error_document(filename: str, message: str) -> dict[str, Any]:
    """What the CLI and batch print for a file that could not be read: a message, never a crash."""
    return {
        "schema": defs.SCHEMA,
        "kind": None,
        "unit": None,
        "year": None,
        "format": None,
        "source": {"file": filename, "offset": None},
        "error": message,
        "findings": [finding("import_unreadable", "error", message).as_dict()],
    }


def import_bytes(data: bytes, filename: str, *, check: bool = True) -> list[dict[str, Any]]:
    """Import one file's bytes; never raises for bad input (the error becomes the document's finding)."""
    try:
        result = read_bytes(data, filename)
    except ReadError as exc:
        logger.info("report import: %s not read: %s", filename, exc)
        return [error_document(filename, str(exc))]
    except Exception as exc:  # noqa: BLE001 - a reader bug must not stop a batch of hundreds of files
        logger.exception("report import: reader failed on %s (%d bytes)", filename, len(data))
        return [error_document(filename, f"文件读取失败（{type(exc).__name__}）")]
    try:
        return documents_from_text(result, filename, check=check)
    except Exception as exc:  # noqa: BLE001
        logger.exception("report import: recognition failed on %s (%s)", filename, result.filetype)
        return [error_document(filename, f"文件内容识别失败（{type(exc).__name__}: {exc}）")]


def import_path(path: str | Path, *, check: bool = True) -> list[dict[str, Any]]:
    """Import a file from disk (see import_bytes)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return [error_document(str(path), f"文件过大（{size // (1024 * 1024)} MB），已跳过")]
        data = path.read_bytes()
    except OSError as exc:
        return [error_document(str(path), f"无法打开文件：{exc.strerror or exc}")]
    return import_bytes(data, str(path), check=check)
