"""The organisation import as a background job: the handler, and the result page the job's page shows."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.core.jobs import JobContext, JobKind
from gongkai.core.models import Job

from .importing import import_orgs

ORG_IMPORT = "org_import"


def org_import_job(ctx: JobContext) -> dict[str, Any]:
    params = ctx.params
    ctx.progress(10, "正在读取并逐行校验")
    result = import_orgs(
        actor=ctx.actor, data=ctx.input_bytes(), filename=params["filename"], dry_run=params["dry_run"]
    )
    return {
        "ok": result.ok,
        "dry_run": params["dry_run"],
        "filename": params["filename"],
        "created": len(result.created),
        "updated": len(result.updated),
        "unchanged": len(result.unchanged),
        "errors": [{"row": e.row, "column": e.column, "reason": e.reason} for e in result.errors],
    }


def org_import_result(request: HttpRequest, job: Job) -> HttpResponse:
    return render(request, "orgs/org_import_result.html", {"job": job, "result": job.result})


KIND = JobKind(ORG_IMPORT, "导入机构", org_import_job, org_import_result, back_url="orgs:import")
