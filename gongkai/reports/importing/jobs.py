"""The batch report check as a background job: the uploads travel to the worker as one container zip (member
``NNN.ext``, never the uploaded name), are checked file by file with the progress on the job's page, and the
documents become the job's result, shown by the same result page and downloads as before."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.core.jobs import JobContext, JobFailed, JobKind
from gongkai.core.models import Job
from gongkai.core.uploads import content_disposition
from gongkai.reports.checks.findings import with_cell_labels

from .batch import SUMMARY_COLUMNS, Progress, run_batch, summary_rows, summary_xlsx
from .compare import by_unit, compare_unit
from .forms import UploadForm
from .source_view import with_cell_sources

REPORT_CHECK = "report_check"


def pack_uploads(files: Sequence[UploadedFile]) -> tuple[bytes, list[str]]:
    """The uploaded files as one stored zip (no compression: most are compressed already) and their names."""
    buffer = io.BytesIO()
    names = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for n, upload in enumerate(files):
            archive.writestr(f"{n:03d}{Path(upload.name or '').suffix[:10]}", b"".join(upload.chunks()))
            names.append(upload.name or f"{n:03d}")
    return buffer.getvalue(), names


class _JobProgress(Progress):
    """run_batch's progress bar, drawn on the job's page instead of a terminal."""

    def __init__(self, ctx: JobContext, names: dict[str, str]) -> None:
        super().__init__(enabled=False)
        self.ctx, self.names = ctx, names

    def step(self, name: str, total: int | None = None) -> None:
        super().step(name, total)
        shown = next((n for stored, n in self.names.items() if name.startswith(stored)), "")
        self.ctx.progress(
            100 * self.count / (total or self.count), f"已检查 {self.count}/{total or '?'}：{shown}"
        )


def report_check_job(ctx: JobContext) -> dict[str, Any]:
    names: list[str] = ctx.params["names"]
    try:
        container = zipfile.ZipFile(io.BytesIO(ctx.input_bytes()))
    except zipfile.BadZipFile as exc:
        raise JobFailed("上传的文件在保存时已损坏，请重新上传。") from exc
    with tempfile.TemporaryDirectory(prefix="report-check-") as folder, container:
        members = sorted(container.namelist())
        if len(members) != len(names):
            raise JobFailed("上传的文件在保存时已损坏，请重新上传。")
        paths = []
        for member in members:
            target = Path(folder) / Path(member).name
            target.write_bytes(container.read(member))
            paths.append(target)
        shown = {str(p): name for p, name in zip(paths, names, strict=True)}
        ctx.progress(1, f"共 {len(paths)} 个文件，开始检查")
        docs = run_batch(paths, progress=_JobProgress(ctx, shown))
        origins = []  # the zip member (and the file inside it) each document came from: source_view reads it again
        for doc in docs:
            source = doc.get("source") or {}
            file = str(source.get("file", ""))
            origin = ""
            for stored, name in shown.items():
                if file.startswith(stored):
                    source["file"] = name + file[len(stored) :]
                    origin = Path(stored).name + file[len(stored) :]
            origins.append(origin)
    return {"docs": docs, "origins": origins}


def report_check_result(request: HttpRequest, job: Job) -> HttpResponse:
    """The results page, or (``?fmt=xlsx`` / ``?fmt=json``) the summary workbook or the documents."""
    docs = (job.result or {}).get("docs", [])
    fmt = request.GET.get("fmt")
    if fmt == "xlsx":
        response = HttpResponse(
            summary_xlsx(docs),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = content_disposition("年报核查结果.xlsx")
        return response
    if fmt == "json":
        response = HttpResponse(
            json.dumps(docs, ensure_ascii=False, indent=1), content_type="application/json"
        )
        response["Content-Disposition"] = content_disposition("年报核查结果.json")
        return response
    comparisons = [compare_unit(group) for group in by_unit(docs).values() if len(group) > 1]
    with_cell_labels(docs)  # findings name their cells in Chinese (表三 · 行 · 列), never by key
    with_cell_sources(docs, job)  # and link to the place of each cell in the report as published
    context = {
        "job": job,
        "form": UploadForm(),
        "docs": docs,
        "columns": SUMMARY_COLUMNS,
        "rows": summary_rows(docs),
        "comparisons": comparisons,
        "wanted": job.params.get("output", "page"),
    }
    return render(request, "report_check/results.html", context)


KIND = JobKind(
    REPORT_CHECK,
    "年度报告导入检查",
    report_check_job,
    report_check_result,
    back_url="report_check:upload",
    keep_input=True,  # the result page shows each finding's cell in the uploaded file
)
