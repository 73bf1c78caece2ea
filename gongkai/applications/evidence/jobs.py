"""The evidence bundle as a background job: rendering every letter and merging can take a while, so the remedy
page queues it and the job's page shows the progress; when it is done the user is back on the remedy page,
where the bundle is listed for download."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from gongkai.core.forms import refusal_text
from gongkai.core.jobs import JobContext, JobFailed, JobKind
from gongkai.core.models import Job

from ..models import RemedyCase
from .build import evidence_bundle_build

EVIDENCE_BUNDLE = "evidence_bundle"


def evidence_job(ctx: JobContext) -> dict[str, int]:
    case = RemedyCase.objects.filter(pk=int(ctx.params.get("case") or 0)).first()
    if case is None:
        raise JobFailed("案件已不存在。")
    try:
        bundle = evidence_bundle_build(actor=ctx.actor, case=case, progress=ctx.progress)
    except (ValidationError, PermissionDenied) as exc:
        raise JobFailed(refusal_text(exc)) from exc
    return {"case": case.pk, "bundle": bundle.pk, "pages": bundle.pages}


def evidence_result(request: HttpRequest, job: Job) -> HttpResponse:
    result = job.result or {}
    messages.success(request, f"证据材料已生成，共 {result.get('pages', '?')} 页。")
    return redirect(reverse("applications:remedy_edit", args=[result.get("case")]) + "#evidence")


KIND = JobKind(
    EVIDENCE_BUNDLE, "生成证据材料", evidence_job, evidence_result, back_url="applications:remedies"
)
