"""Staff page: upload published reports; a background job checks them (progress, then each report's canonical
figures and findings, on the job's page: importing/jobs.py). No report data is stored."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from gongkai.core.jobs import enqueue
from gongkai.orgs.permissions import Action, orgs_where

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
