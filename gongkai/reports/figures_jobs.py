"""The 表二 figures ledger import as a background job (the staff page of 表二 figures; `import_ledger` with
``--kind figures`` runs the same service in the foreground): all rows or none, every bad row reported."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.core.jobs import JobContext, JobFailed, JobKind
from gongkai.core.jobs.results import run_import
from gongkai.core.models import Job
from gongkai.orgs.models import Organisation

from .services import import_figures

FIGURES_IMPORT = "figures_import"


def figures_import_job(ctx: JobContext) -> dict[str, Any]:
    params = ctx.params
    org = Organisation.objects.filter(pk=params["org"]).first()
    if org is None:
        raise JobFailed("所选机构已不存在，请重新选择后提交。")
    return run_import(ctx, import_figures, org=org, denied=f"您无权导入表二数据（{org.name}）。")


def figures_import_result(request: HttpRequest, job: Job) -> HttpResponse:
    return render(request, "reports/figures_result.html", {"job": job, "result": job.result})


KIND = JobKind(
    FIGURES_IMPORT, "导入表二数据", figures_import_job, figures_import_result, back_url="reports:figures"
)
