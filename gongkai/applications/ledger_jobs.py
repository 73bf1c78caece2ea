"""The 台账 import (申请 / 复议诉讼) as a background job: the staff page stores the upload and redirects to the
job's page; the handler checks every row and imports all or nothing (ledger.py), the result page lists what
was imported or every bad row. The 表二 figures ledger has its own job in the reports app."""

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

from .ledger import import_applications, import_remedies

LEDGER_IMPORT = "ledger_import"
KIND_LABELS = {"applications": "申请台账", "remedies": "复议诉讼台账"}


def ledger_import_job(ctx: JobContext) -> dict[str, Any]:
    params = ctx.params
    org = Organisation.objects.filter(pk=params["org"]).first()
    if org is None:
        raise JobFailed("所选机关已不存在，请重新选择后提交。")
    importer = import_applications if params["kind"] == "applications" else import_remedies
    ctx.progress(10, "正在读取并逐行校验")
    data = ctx.input_bytes()
    try:
        # The import and the job's completion commit together (JobContext.record_result): a worker killed
        # right after the commit leaves a finished job, never an imported file the broker hands out again.
        with transaction.atomic():
            result = importer(
                actor=ctx.actor, org=org, data=data, filename=params["filename"], dry_run=params["dry_run"]
            )
            out = import_result_json(
                result,
                kind=params["kind"],
                kind_label=KIND_LABELS[params["kind"]],
                org_name=org.name,
                filename=params["filename"],
            )
            ctx.record_result(out)
    except PermissionDenied as exc:  # the user lost the role since submitting
        raise JobFailed(str(exc) or f"您无权向「{org.name}」导入台账。") from exc
    return out


def ledger_import_result(request: HttpRequest, job: Job) -> HttpResponse:
    return render(request, "applications/ledger_result.html", {"job": job, "result": job.result})


KIND = JobKind(
    LEDGER_IMPORT, "导入台账", ledger_import_job, ledger_import_result, back_url="applications:ledger"
)
