"""Where a finding's cell stands in the report as published: the text around it, or its box on the page image.

The batch check keeps its uploaded zip (``JobKind.keep_input``) and, per document, the member it came from
(``origins`` in the job's result). When a reviewer opens a finding's cell, the file is read again: a text
source (HTML, text, text PDF, DOCX, .doc) gives the passage around ``source.cells[key].offset`` with the figure
marked; a scan or photo gives the page (rasterised again at ``ocr.OCR_DPI`` for a PDF) cropped to the cell's row
band with its box drawn. Nothing of the report is stored beyond the job's own input.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from gongkai.core.models import Job
from gongkai.reports.definitions import CellRef
from gongkai.reports.document import ReportDocument

from . import ocr
from .batch import iter_zip
from .readers import read_bytes
from .readers_text import ReadError

_TABLES = {"table2": "表二", "table3": "表三", "table4": "表四"}
EXCERPT = 80  # characters shown on each side of a figure
BAND = 90  # page pixels above and below a cell's box
MAX_WIDTH = 1100  # the crop is scaled down to this width


def source_key(cell: str) -> str | None:
    """A finding's cell key (``table3:<row>:<column>``) as a ``source.cells`` key (``表三/<row>/<column>``);
    a 表二 row key is ``<第二十条第（x）项>/<item>``."""
    table, _, rest = cell.partition(":")
    if table not in _TABLES or ":" not in rest:
        return None
    row, column = rest.rsplit(":", 1)
    return f"{_TABLES[table]}/{row}/{column}"


PLACES_SHOWN = 12  # cells listed under a finding; the rest counted ("等 N 处")


def with_cell_sources(docs: list[dict[str, Any]], job: Job) -> None:
    """Give each finding its cells' places (``cell_places``: label, and the URL of the cell in the report as
    published where the importer located it, else "") and those links alone (``cell_sources``)."""
    if not job.input:
        return
    base = reverse("report_check:cell_source", args=[job.pk])
    for n, doc in enumerate(docs):
        located = (doc.get("source") or {}).get("cells") or {}
        for finding in doc.get("findings") or []:
            places = []
            for cell, label in zip(
                finding.get("cells") or [], finding.get("cell_labels") or [], strict=False
            ):
                key = source_key(cell)
                url = f"{base}?{urlencode({'doc': n, 'cell': key})}" if key in located else ""
                places.append({"label": label, "url": url})
            finding["cell_places"] = places[:PLACES_SHOWN]
            finding["more_places"] = max(len(places) - PLACES_SHOWN, 0)
            finding["cell_sources"] = [p for p in places if p["url"]][:PLACES_SHOWN]


def _member_bytes(job: Job, origin: str) -> tuple[bytes, str]:
    """The bytes of the file one document came from: a member of the job's zip, or a file inside that member."""
    member, _, inner = origin.partition("!")
    with job.input.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as container:
        if member not in container.namelist():
            raise Http404("原文件已不存在。")
        data = container.read(member)
    if not inner:
        return data, member
    for item in iter_zip(data, member):
        if item.name == origin and item.data is not None:
            return item.data, inner
    raise Http404("原文件已不存在。")


def _page_image(data: bytes, filetype: str, page: int) -> Any:
    from PIL import Image, ImageOps

    if filetype == "image":  # turned upright as for OCR (ocr.ocr_image), so the boxes fall on the same pixels
        return ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
    with tempfile.TemporaryDirectory(prefix="cell-source-") as folder:
        try:
            pages = ocr.rasterise(data, Path(folder), page=page)
        except ReadError as exc:
            raise Http404(f"无法重新生成该页的图像：{exc}") from exc
        if not pages:
            raise Http404("无法重新生成该页的图像。")
        with Image.open(pages[0]) as image:
            return image.convert("RGB")


def cell_png(data: bytes, filetype: str, where: dict[str, Any]) -> bytes:
    """The row band of the page around a cell's box, the box drawn in red, as PNG."""
    from PIL import ImageDraw

    image = _page_image(data, filetype, int(where.get("page") or 1))
    x0, y0, x1, y1 = (int(v) for v in where["bbox"])
    top, bottom = max(0, y0 - BAND), min(image.height, y1 + BAND)
    band = image.crop((0, top, image.width, bottom))
    ImageDraw.Draw(band).rectangle((x0 - 6, y0 - top - 6, x1 + 6, y1 - top + 6), outline=(200, 0, 0), width=4)
    if band.width > MAX_WIDTH:
        band = band.resize((MAX_WIDTH, max(1, band.height * MAX_WIDTH // band.width)))
    out = io.BytesIO()
    band.save(out, "PNG")
    return out.getvalue()


def excerpt(text: str, offset: int, figure: str) -> dict[str, str]:
    """The passage around a figure at ``offset``: before, the figure as printed, after (one line each way)."""
    end = offset
    digits = 0
    wanted = sum(ch.isdigit() for ch in figure)
    while end < len(text) and digits < wanted:
        digits += text[end].isdigit()
        end += 1
    return {
        "before": text[max(0, offset - EXCERPT) : offset],
        "figure": text[offset:end],
        "after": text[end : end + EXCERPT],
    }


def key_parts(key: str) -> tuple[str, str, str]:
    """(table, row, column) of a ``source.cells`` key (表X/<row>/<column>). A 表二 row is ``<item>/<row>`` and its
    column may hold a "/" of its own (本年增/减); 表三's rows hold their group, its columns none."""
    table, rest = key.split("/", 1)
    if table == _TABLES["table2"]:
        item, row, column = rest.split("/", 2)
        return table, f"{item}/{row}", column
    row, column = rest.rsplit("/", 1)
    return table, row, column


def _value(doc: dict[str, Any], key: str) -> Any:
    """The extracted value of the cell ``source.cells`` names ``key`` (表X/<row>/<column>)."""
    table, row, column = key_parts(key)
    name = next(n for n, label in _TABLES.items() if label == table)
    return ReportDocument(doc).get(CellRef(name, row, column))


def cell_source(request: HttpRequest, job: Job) -> HttpResponse:
    """``?doc=N&cell=表三/<row>/<column>`` → the passage or page image (``&fmt=png``) of that cell."""
    result = job.result or {}
    docs, origins = result.get("docs") or [], result.get("origins") or []
    try:
        n = int(request.GET.get("doc", ""))
        doc, origin = docs[n], origins[n]
    except (ValueError, IndexError):
        raise BadRequest("没有指定要查看的报告，或报告序号不正确。") from None
    key = request.GET.get("cell", "")
    where = ((doc.get("source") or {}).get("cells") or {}).get(key)
    if not job.input or not where or not origin:
        raise Http404("没有该单元格在原文中的位置。")
    data, name = _member_bytes(job, origin)
    table, row, column = key_parts(key)
    context: dict[str, Any] = {
        "job": job,
        "doc": doc,
        "key": key,
        "table": table,
        "row": row.replace("/", " · "),  # as people read it (checks.findings.row_label)
        "column": column,
    }
    context["value"] = _value(doc, key)
    if "bbox" in where:
        if request.GET.get("fmt") == "png":
            filetype = (doc.get("source") or {}).get("filetype") or "image"
            response = HttpResponse(cell_png(data, filetype, where), content_type="image/png")
            response["Cache-Control"] = "private, max-age=3600"
            return response
        context["image_url"] = f"{request.path}?{urlencode({'doc': n, 'cell': key, 'fmt': 'png'})}"
        context["page"], context["confidence"] = where.get("page"), where.get("confidence")
    else:
        try:
            text = read_bytes(data, name).text
        except ReadError as exc:
            raise Http404("原文件无法再次读取。") from exc
        context["excerpt"] = excerpt(text, int(where["offset"]), str(context["value"] or ""))
    return render(request, "report_check/cell_source.html", context)
