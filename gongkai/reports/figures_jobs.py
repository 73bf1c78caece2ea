"""The 表二 figures ledger import as a background job (the staff page of 表二 figures; `import_ledger` with
``--kind figures`` runs the same service in the foreground): all rows or none, every bad row reported."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.core.jobs import JobContext, JobFailed, JobKind
from gongkai.core.jobs.results import import_result_json
from gongkai.core.models import Job
from gongkai.orgs.models import Organisation

from .services import import_figures

FIGURES_IMPORT = "figures_import"


def figures_import_job(ctx: JobContext) -> dict[str, Any]:
    params = ctx.params
    org = Organisation.objects.filter(pk=params["org"]).first()
    if org is None:
        raise JobFailed("所选机构已不存在，请重新选择后提交。")
    ctx.progress(10, "正在读取并逐行校验")
    data = ctx.input_bytes()
    try:
        with transaction.atomic():  # the import and the job's completion commit together (record_result)
            result = import_figures(
                actor=ctx.actor, org=org, data=data, filename=params["filename"], dry_run=params["dry_run"]
            )
            out = import_result_json(result, org_name=org.name, filename=params["filename"])
            ctx.record_result(out)
    except PermissionDenied as exc:  # the user lost the role since submitting
        raise JobFailed(str(exc) or f"您无权导入表二数据（{org.name}）。") from exc
    return out


def figures_import_result(request: HttpRequest, job: Job) -> HttpResponse:
    return render(request, "reports/figures_result.html", {"job": job, "result": job.result})


KIND = JobKind(
    FIGURES_IMPORT, "导入表二数据", figures_import_job, figures_import_result, back_url="reports:figures"
)
