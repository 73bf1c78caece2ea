"""Staff page: upload published reports; a background job checks them (progress, then each report's canonical
figures and findings, on the job's page: importing/jobs.py). No report data is stored."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from gongkai.core.jobs import enqueue
from gongkai.core.models import Job
from gongkai.core.views import get_permitted_or_404
from gongkai.orgs.permissions import Action, orgs_where

from . import source_view
from .forms import UploadForm
from .jobs import REPORT_CHECK, pack_uploads


def _require_staff(request: HttpRequest) -> None:
    if not orgs_where(request.user, Action.VIEW).exists():
        raise PermissionDenied("只有机构工作人员可以使用年度报告检查。")


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """Upload → a job with the same output as `gongkai report_check`: summary, per-report findings, cross-year view."""
    _require_staff(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "report_check/upload.html", {"form": form})
    data, names = pack_uploads(form.cleaned_data["reports"])
    job = enqueue(
        kind=REPORT_CHECK,
        actor=request.user,
        params={"names": names, "output": form.cleaned_data["output"]},
        data=data,
        filename="reports.zip",
    )
    return redirect("backoffice:job", pk=job.pk)


@login_required
def cell_source(request: HttpRequest, pk: int) -> HttpResponse:
    """A finding's cell in the report as published: only for the user who ran the check, as the job's page."""
    job = get_permitted_or_404(
        Job.objects.all(), lambda j: j.actor_id == request.user.pk, "没有找到该任务。", pk=pk
    )
    if job.kind != REPORT_CHECK:
        raise BadRequest("该任务不是年度报告检查，没有原文位置可看。")
    return source_view.cell_source(request, job)
