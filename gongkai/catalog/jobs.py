"""Rebuilding the full-text index as a background job (系统管理员 only: the index serves every organisation)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from gongkai.core.jobs import JobContext, JobKind, enqueue
from gongkai.core.models import Job
from gongkai.orgs.permissions import is_system_admin

from .search_sync import search_reindex

CATALOG_REINDEX = "catalog_reindex"


def reindex_job(ctx: JobContext) -> dict[str, Any]:
    ctx.progress(1, "正在读取主动公开信息")
    count = search_reindex(
        progress=lambda done, total: ctx.progress(100 * done / total, f"已处理 {done}/{total} 条")
    )
    return {"indexed": count}


def reindex_result(request: HttpRequest, job: Job) -> HttpResponse:
    return render(request, "catalog/reindex.html", {"job": job, "result": job.result})


@login_required
def reindex(request: HttpRequest) -> HttpResponse:
    """GET: what the rebuild does; POST: start it and follow its progress."""
    if not is_system_admin(request.user):
        raise PermissionDenied("只有系统管理员可以重建全文检索索引。")
    if request.method == "POST":
        job = enqueue(kind=CATALOG_REINDEX, actor=request.user)
        return redirect("backoffice:job", pk=job.pk)
    return render(request, "catalog/reindex.html", {})


KIND = JobKind(CATALOG_REINDEX, "重建全文检索索引", reindex_job, reindex_result, back_url="catalog:reindex")
