"""Batch import: files, folders and zip archives → documents, with a progress bar and a summary table."""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from gongkai.core import uploads
from gongkai.reports.definitions import PRE2019, format_label

from .compare import link_years
from .pipeline import error_document, import_bytes
from .readers import MAX_FILE_BYTES

MAX_ZIP_MEMBERS = 5000  # a batch archive holds many reports (a DOCX inside is checked by core.uploads)
MAX_ZIP_TOTAL = 1024 * 1024 * 1024
MAX_ZIP_RATIO = uploads.MAX_COMPRESSION_RATIO
SKIP_NAMES = ("__MACOSX/", ".DS_Store", "Thumbs.db")


@dataclass
class Item:
    """One input to import: its display name and bytes, or the reason it cannot be read."""

    name: str
    data: bytes | None = None
    error: str | None = None


def _member_name(info: zipfile.ZipInfo) -> str:
    """Zip files made on Chinese Windows store GBK names without the UTF-8 flag."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def iter_zip(data: bytes, label: str) -> Iterator[Item]:
    """Members of a zip archive, guarded against zip bombs (size, ratio, count) and damaged archives."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        yield Item(label, error=f"压缩包已损坏，无法打开（{type(exc).__name__}）")
        return
    with archive:
        infos = [
            i for i in archive.infolist() if not i.is_dir() and not any(s in i.filename for s in SKIP_NAMES)
        ]
        if len(infos) > MAX_ZIP_MEMBERS:
            yield Item(label, error=f"压缩包内文件过多（{len(infos)} 个，上限 {MAX_ZIP_MEMBERS}）")
            return
        total = 0
        for info in infos:
            name = f"{label}!{_member_name(info)}"
            if info.flag_bits & 0x1:
                yield Item(name, error="压缩包内的文件已加密，无法读取")
                continue
            if info.file_size > MAX_FILE_BYTES:
                yield Item(name, error=f"文件解压后过大（{info.file_size // (1024 * 1024)} MB），已跳过")
                continue
            if (
                info.compress_size
                and info.file_size / info.compress_size > MAX_ZIP_RATIO
                and info.file_size > uploads.RATIO_FLOOR_BYTES
            ):
                yield Item(name, error="文件压缩比异常（疑似压缩炸弹），已跳过")
                continue
            total += info.file_size
            if total > MAX_ZIP_TOTAL:
                yield Item(name, error="压缩包解压总量超过上限，其余文件已跳过")
                return
            try:
                with archive.open(info) as handle:
                    content = handle.read(MAX_FILE_BYTES + 1)  # never trust the declared size
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
                yield Item(name, error=f"压缩包内的文件已损坏（{type(exc).__name__}）")
                continue
            if len(content) > MAX_FILE_BYTES:
                yield Item(name, error="文件解压后过大，已跳过")
                continue
            if content.startswith(b"PK\x03\x04") and _is_plain_zip(content):
                yield Item(name, error="压缩包中嵌套的压缩包不会展开，请解压后再导入")
                continue
            yield Item(name, content)


def _is_plain_zip(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as inner:
            return "word/document.xml" not in inner.namelist()
    except zipfile.BadZipFile:
        return False


def iter_inputs(paths: Sequence[str | Path]) -> Iterator[Item]:
    """Files as given, folders walked in name order, zip archives opened; unreadable inputs become errors."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            for file in files:
                yield from _file_items(file)
        elif path.exists():
            yield from _file_items(path)
        else:
            yield Item(str(path), error="文件不存在")


def _file_items(path: Path) -> Iterator[Item]:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES and path.suffix.lower() != ".zip":
            yield Item(str(path), error=f"文件过大（{size // (1024 * 1024)} MB），已跳过")
            return
        if size > MAX_ZIP_TOTAL:
            yield Item(str(path), error="压缩包过大，已跳过")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Item(str(path), error=f"无法打开文件：{exc.strerror or exc}")
        return
    if data.startswith(b"PK\x03\x04") and _is_plain_zip(data):
        yield from iter_zip(data, str(path))
    else:
        yield Item(str(path), data)


class Progress:
    """A one-line progress bar on stderr (no dependency; silent when disabled)."""

    def __init__(self, stream: TextIO | None = None, *, enabled: bool = True, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.width = width
        self.count = 0

    def step(self, name: str, total: int | None = None) -> None:
        self.count += 1
        if not self.enabled:
            return
        if total:
            filled = int(self.width * self.count / total)
            bar = "█" * filled + "·" * (self.width - filled)
            self.stream.write(f"\r[{bar}] {self.count}/{total} {Path(name).name[:40]:<40}")
        else:
            self.stream.write(f"\r已处理 {self.count} 个文件 {Path(name).name[:40]:<40}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.count:
            self.stream.write("\n")
            self.stream.flush()


def run_batch(
    paths: Sequence[str | Path],
    *,
    progress: Progress | None = None,
    compare: bool = True,
    importer: Callable[[bytes, str], list[dict[str, Any]]] = import_bytes,
) -> list[dict[str, Any]]:
    """Import everything under paths; one bad file gives one error document and the batch goes on.

    With compare, reports of the same unit in consecutive years are checked against each other
    (上年结转 vs 结转下年度, copied 五).
    """
    items = list(iter_inputs(paths))
    docs: list[dict[str, Any]] = []
    for item in items:
        if item.error is not None or item.data is None:
            docs.append(error_document(item.name, item.error or "文件无法读取"))
        else:
            docs.extend(importer(item.data, item.name))
        if progress is not None:
            progress.step(item.name, len(items))
    if progress is not None:
        progress.close()
    if compare:
        link_years(docs)
    return docs


# --------------------------------------------------------------------------- summary

SUMMARY_COLUMNS = ("文件", "部分", "单位", "年度", "格式", "类型", "错误", "警告", "提示", "主要问题")
KIND_LABELS = {"annual_report": "年度报告", "not_a_report": "非年度报告", None: "无法读取"}
FORMAT_LABELS = {  # the edition (definitions.format_label) with its 国办公开办函 number
    "2019": f"{format_label('2019')}（60号）", "2021": f"{format_label('2021')}（30号）",
    PRE2019: format_label(PRE2019), None: "",
}  # fmt: skip


def summary_rows(docs: Sequence[dict[str, Any]]) -> list[list[Any]]:
    """One row per document for the summary table (HTML and XLSX share it)."""
    rows = []
    for doc in docs:
        findings = doc.get("findings") or []
        count = {s: sum(1 for f in findings if f.get("severity") == s) for s in ("error", "warning", "info")}
        main = [f["message"] for f in findings if f.get("severity") == "error"][:3]
        source = doc.get("source") or {}
        rows.append(
            [
                source.get("file", ""),
                source.get("part", ""),
                doc.get("unit") or "",
                doc.get("year") if doc.get("year") is not None else "未知",
                FORMAT_LABELS.get(doc.get("format"), str(doc.get("format"))),
                KIND_LABELS.get(doc.get("kind"), str(doc.get("kind"))),
                count["error"],
                count["warning"],
                count["info"],
                "；".join(main),
            ]
        )
    return rows


def summary_xlsx(docs: Sequence[dict[str, Any]]) -> bytes:
    """The summary table as an Excel workbook (one sheet 汇总, one sheet 问题明细)."""
    from openpyxl.styles import Font

    from gongkai.core.exports import SafeWorkbook

    book = SafeWorkbook()  # text cells stay text: an uploaded file's name never becomes a formula
    sheet = book.sheet("汇总")
    for cell in sheet.append(SUMMARY_COLUMNS):
        cell.font = Font(bold=True)
    for row in summary_rows(docs):
        sheet.append(row)
    detail = book.sheet("问题明细")
    detail.append(["文件", "部分", "单位", "年度", "级别", "说明", "单元格"])
    for doc in docs:
        source = doc.get("source") or {}
        for f in doc.get("findings") or []:
            detail.append(
                [
                    source.get("file", ""),
                    source.get("part", ""),
                    doc.get("unit") or "",
                    doc.get("year") if doc.get("year") is not None else "未知",
                    {"error": "错误", "warning": "警告", "info": "提示"}.get(
                        f.get("severity"), f.get("severity")
                    ),
                    f.get("message"),
                    "；".join(f.get("cells") or []),
                ]
            )
    sheet.ws.freeze_panes = "A2"
    return book.to_bytes()


def summary_html(docs: Sequence[dict[str, Any]]) -> str:
    """The summary table as a standalone HTML page (rendered by the same template as the staff page)."""
    from django.template.loader import render_to_string

    from gongkai.reports.checks.findings import with_cell_labels

    with_cell_labels(docs)
    return render_to_string(
        "report_check/summary_standalone.html",
        {"columns": SUMMARY_COLUMNS, "rows": summary_rows(docs), "docs": docs},
    )
