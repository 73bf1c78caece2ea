"""The 台账 import (申请 / 复议诉讼) as a background job: the staff page stores the upload and redirects to the
job's page; the handler checks every row and imports all or nothing (ledger.py), the result page lists what
was imported or every bad row. The 表二 figures ledger has its own job in the reports app."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.core.jobs import JobContext, JobFailed, JobKind
from gongkai.core.jobs.results import run_import
from gongkai.core.models import Job
from gongkai.orgs.models import Organisation

from .ledger import import_applications, import_remedies

LEDGER_IMPORT = "ledger_import"
KIND_LABELS = {"applications": "申请台账", "remedies": "复议诉讼台账"}


def ledger_import_job(ctx: JobContext) -> dict[str, Any]:
    params = ctx.params
    org = Organisation.objects.filter(pk=params["org"]).first()
    if org is None:
        raise JobFailed("所选机关已不存在，请重新选择后提交。")
    importer = import_applications if params["kind"] == "applications" else import_remedies
    return run_import(
        ctx, importer, org=org, denied=f"您无权向「{org.name}」导入台账。",
        kind=params["kind"], kind_label=KIND_LABELS[params["kind"]],
    )  # fmt: skip


def ledger_import_result(request: HttpRequest, job: Job) -> HttpResponse:
    return render(request, "applications/ledger_result.html", {"job": job, "result": job.result})


KIND = JobKind(
    LEDGER_IMPORT, "导入台账", ledger_import_job, ledger_import_result, back_url="applications:ledger"
)
