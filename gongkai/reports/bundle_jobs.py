"""Rendering a whole tree's annual reports as a background job: the page (organisation, year, formats), the
job (bundle.py renders, one progress step per organisation), and the result page offering the zip.

The zip is the job's output file: streamed through the application to the user who started the job (the job
page's own check), never a public link; it is deleted after GONGKAI_JOB_FILES_DAYS days (core/jobs/cleanup.py).
"""

from __future__ import annotations

import tempfile
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone

from gongkai.core.actors import Actor, is_system
from gongkai.core.jobs import JobContext, JobFailed, JobKind, enqueue
from gongkai.core.models import AuditAction, Job
from gongkai.core.services import audit_record
from gongkai.core.uploads.downloads import content_disposition
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Action, orgs_where

from .bundle import FORMATS, tree_orgs, write_bundle
from .forms import BundleForm

REPORT_BUNDLE = "report_bundle"


def _visible(actor: Actor) -> Any:
    return Organisation.objects.all() if is_system(actor) else orgs_where(actor, Action.VIEW)


def bundle_job(ctx: JobContext) -> dict[str, Any]:
    params, actor = ctx.params, ctx.actor
    root = Organisation.objects.filter(pk=params["org"]).first()
    visible = _visible(actor)
    if root is None or not visible.filter(pk=root.pk).exists():
        raise JobFailed("所选机构已不存在，或您已无权查看该机构的年度报告。")
    orgs = tree_orgs(root, visible)
    year, kinds, drafts = params["year"], params["formats"], params["drafts"]
    ctx.progress(1, f"共 {len(orgs)} 个机构，开始生成")

    def step(n: int, total: int, org: Organisation) -> None:
        ctx.progress(100 * n / total, f"已生成 {n}/{total}：{org.name}")

    with tempfile.TemporaryFile(prefix="report-bundle-") as target:
        bundle = write_bundle(target, orgs, year, kinds=kinds, drafts=drafts, progress=step)
        size = target.tell()
        target.seek(0)
        ctx.save_output(target, suffix=".zip")
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        org=root,
        object_type="reports.report",
        object_repr=f"{root.name}{year}年度报告汇编",
        changes={"year": year, "formats": kinds, "drafts": drafts, "orgs": len(orgs), "files": bundle.files},
    )
    return {"org_name": root.name, "year": year, "formats": [FORMATS[k] for k in kinds], "drafts": drafts,
            "rows": bundle.rows, "files": bundle.files, "size": size}  # fmt: skip


def bundle_result(request: HttpRequest, job: Job) -> HttpResponseBase:
    """The list of what the zip holds, or (``?download=1``) the zip itself."""
    result = job.result or {}
    if request.GET.get("download") and job.output:
        name = f"{result.get('org_name', '')}{result.get('year', '')}年度报告汇编.zip"
        response = FileResponse(job.output.open("rb"), content_type="application/zip")
        response["Content-Disposition"] = content_disposition(name)
        response["X-Content-Type-Options"] = "nosniff"
        return response
    return render(request, "reports/bundle_result.html", {"job": job, "result": result})


@login_required
def bundle(request: HttpRequest) -> HttpResponse:
    """GET: the form; POST: start rendering the tree and follow its progress on the job's page."""
    orgs = orgs_where(request.user, Action.VIEW).order_by("path")
    if not orgs.exists():
        raise PermissionDenied("您没有查看年度报告的权限。")
    initial = {"year": timezone.localdate().year - 1}
    form = BundleForm(request.POST or None, orgs=orgs, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        params = {"org": d["org"].pk, "year": d["year"], "formats": d["formats"], "drafts": d["drafts"]}
        job = enqueue(kind=REPORT_BUNDLE, actor=request.user, org=d["org"], params=params)
        return redirect("backoffice:job", pk=job.pk)
    return render(request, "reports/bundle.html", {"form": form})


KIND = JobKind(REPORT_BUNDLE, "年度报告批量生成", bundle_job, bundle_result, back_url="reports:bundle")
