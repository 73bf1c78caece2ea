"""Staff page: upload published reports, see each report's canonical figures and findings (no data stored)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.orgs.permissions import Action, orgs_where
from gongkai.reports.checks.findings import with_cell_labels

from .batch import SUMMARY_COLUMNS, run_batch, summary_rows, summary_xlsx
from .compare import by_unit, compare_unit
from .forms import UploadForm


def _require_staff(request: HttpRequest) -> None:
    if not orgs_where(request.user, Action.VIEW).exists():
        raise PermissionDenied("只有机构工作人员可以使用年度报告检查。")


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """Upload → the same output as `gongkai report_check`: summary, per-report findings, cross-year view."""
    _require_staff(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "report_check/upload.html", {"form": form})
    with tempfile.TemporaryDirectory(prefix="report-check-") as folder:
        paths = []
        for n, upload_file in enumerate(form.cleaned_data["reports"]):
            # The uploaded name is shown, never used as a path.
            target = Path(folder) / f"{n:03d}{Path(upload_file.name or '').suffix[:10]}"
            with target.open("wb") as out:
                for chunk in upload_file.chunks():
                    out.write(chunk)
            paths.append((target, upload_file.name or target.name))
        docs = run_batch([p for p, _ in paths])
        names = {str(p): name for p, name in paths}
        for doc in docs:
            source = doc.get("source") or {}
            file = str(source.get("file", ""))
            for stored, name in names.items():
                if file.startswith(stored):
                    source["file"] = name + file[len(stored) :]
    output = form.cleaned_data["output"]
    if output == "xlsx":
        response = HttpResponse(
            summary_xlsx(docs),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('年报核查结果')}.xlsx"
        return response
    if output == "json":
        response = HttpResponse(
            json.dumps(docs, ensure_ascii=False, indent=1), content_type="application/json"
        )
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('年报核查结果')}.json"
        return response
    comparisons = [compare_unit(group) for group in by_unit(docs).values() if len(group) > 1]
    with_cell_labels(docs)
    context = {
        "form": UploadForm(),
        "docs": docs,
        "columns": SUMMARY_COLUMNS,
        "rows": summary_rows(docs),
        "comparisons": comparisons,
    }
    return render(request, "report_check/results.html", context)
