"""The evidence bundle (证据材料) over the JSON API: start a build for a remedy case, follow the job, download the
PDF or the zip — the same checks as the pages (``views.may_read``, ``build.check_may_build``), the same job
(``jobs.EVIDENCE_BUNDLE``) and the same audited, streamed download (``views.bundle_file``).

A case, job or bundle the caller may not read answers 404 (its existence is not disclosed to other
organisations' staff); a case that cannot be built (no linked application) answers 400 with the reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from gongkai.core.jobs import enqueue
from gongkai.core.models import Job, JobStatus

from ..models import RemedyCase
from .build import check_may_build
from .jobs import EVIDENCE_BUNDLE
from .models import EvidenceBundle
from .views import bundle_file, may_read

router = Router(tags=["证据材料"])
CASE_NOT_FOUND = "案件不存在或您无权为其生成、下载证据材料。"
JOB_NOT_FOUND = "任务不存在或您无权查看。"
BUNDLE_NOT_FOUND = "证据材料不存在或您无权下载。"


class BundleOut(Schema):
    id: int
    case_id: int
    pages: int
    pdf_sha256: str
    zip_sha256: str
    built_at: dt.datetime
    contents: list[dict[str, Any]]  # the 目录: [{"section", "title", "page", "pages"}]
    pdf_url: str
    zip_url: str


class JobOut(Schema):
    id: int
    case_id: int
    status: str  # queued / running / succeeded / failed
    status_label: str  # 排队中 / 进行中 / 已完成 / 失败
    progress: int  # 0–100
    message: str
    error: str  # the Chinese reason of a failed job
    bundle: BundleOut | None  # once succeeded


def _case(request: HttpRequest, case_id: int) -> RemedyCase:
    case = RemedyCase.objects.select_related("org", "application__org").filter(pk=case_id).first()
    if case is None or not may_read(request.user, case):
        raise HttpError(404, CASE_NOT_FOUND)
    return case


def _bundle_out(bundle: EvidenceBundle) -> dict[str, Any]:
    def url(fmt: str) -> str:
        return reverse("api:evidence_bundle_download", kwargs={"bundle_id": bundle.pk, "fmt": fmt})

    return {
        "id": bundle.pk, "case_id": bundle.case_id, "pages": bundle.pages, "pdf_sha256": bundle.pdf_sha256,
        "zip_sha256": bundle.zip_sha256, "built_at": bundle.built_at, "contents": bundle.contents,
        "pdf_url": url("pdf"), "zip_url": url("zip"),
    }  # fmt: skip


def _job_out(job: Job, case: RemedyCase) -> dict[str, Any]:
    bundle = None
    if job.status == JobStatus.SUCCEEDED and job.result:
        found = EvidenceBundle.objects.filter(pk=job.result.get("bundle"), case=case).first()
        bundle = _bundle_out(found) if found is not None else None
    return {
        "id": job.pk, "case_id": case.pk, "status": job.status, "status_label": job.get_status_display(),
        "progress": job.progress, "message": job.message, "error": job.error, "bundle": bundle,
    }  # fmt: skip


@router.post("/remedies/{case_id}/jobs", response={202: JobOut}, summary="生成证据材料（后台任务）")
def bundle_start(request: HttpRequest, case_id: int) -> Status[dict[str, Any]]:
    """Queue a build; follow it with ``GET /api/evidence/jobs/{id}``."""
    case = _case(request, case_id)
    try:
        check_may_build(request.user, case)
    except PermissionDenied as exc:
        raise HttpError(404, CASE_NOT_FOUND) from exc
    job = enqueue(kind=EVIDENCE_BUNDLE, actor=request.user, org=case.org, params={"case": case.pk})
    job.refresh_from_db()  # without a broker the job has already run
    return Status(202, _job_out(job, case))


@router.get("/jobs/{job_id}", response=JobOut, summary="证据材料生成任务的进度和结果")
def bundle_job(request: HttpRequest, job_id: int) -> dict[str, Any]:
    job = Job.objects.filter(pk=job_id, kind=EVIDENCE_BUNDLE).first()
    case_id = int((job.params or {}).get("case") or 0) if job is not None else 0
    case = RemedyCase.objects.select_related("org", "application__org").filter(pk=case_id).first()
    if job is None or case is None or not may_read(request.user, case):
        raise HttpError(404, JOB_NOT_FOUND)
    return _job_out(job, case)


@router.get("/remedies/{case_id}/bundles", response=list[BundleOut], summary="案件已生成的证据材料")
def bundle_list(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = _case(request, case_id)
    return [_bundle_out(b) for b in case.evidence_bundles.all()[:50]]


@router.get(
    "/bundles/{bundle_id}/{fmt}",
    summary="下载证据材料（fmt：pdf 合并本，zip 原件压缩包）",
    url_name="evidence_bundle_download",
)
def bundle_download(request: HttpRequest, bundle_id: int, fmt: str) -> FileResponse:
    bundle = (
        EvidenceBundle.objects.select_related("case__org", "case__application__org")
        .filter(pk=bundle_id)
        .first()
    )
    if fmt not in {"pdf", "zip"} or bundle is None or not may_read(request.user, bundle.case):
        raise HttpError(404, BUNDLE_NOT_FOUND)
    return bundle_file(request.user, bundle, fmt)
